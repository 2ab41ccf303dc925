import csv

import pytest
from openpyxl import Workbook

from gongzhi.cli import main

from .toy import messages

HEADER = ["编号", "留言主题", "留言详情", "一级标签"]


def write_csv(path, rows, header=HEADER, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def labelled(seed, n=12):
    return [(i, t, b, y) for i, (t, b, y) in enumerate(messages(n, seed=seed))]


@pytest.fixture
def model(tmp_path):
    train = write_csv(tmp_path / "train.csv", labelled(1))
    extra = write_csv(tmp_path / "extra.csv", [(i, "", b, y) for i, _, b, y in labelled(2)])  # empty titles
    out = tmp_path / "model.npz"
    assert main(["triage", "train", "--data", str(train), "--data", str(extra),
                 "--text", "留言主题,留言详情", "--label", "一级标签", "--model", str(out)]) == 0
    return out


def test_train_predict_and_evaluate_end_to_end(tmp_path, model, capsys):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in labelled(3, n=4):
        sheet.append(list(row))
    book.save(tmp_path / "new.xlsx")
    out = tmp_path / "predicted.csv"
    assert main(["triage", "predict", "--model", str(model), "--data", str(tmp_path / "new.xlsx"),
                 "--text", "留言主题,留言详情", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 12 and {"predicted", "confidence", "留言详情"} <= set(rows[0])
    assert sum(r["predicted"] == r["一级标签"] for r in rows) >= 10
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)

    capsys.readouterr()
    assert main(["triage", "evaluate", "--model", str(model), "--data", str(tmp_path / "new.xlsx"),
                 "--text", "留言主题,留言详情", "--label", "一级标签"]) == 0
    printed = capsys.readouterr().out
    assert "macro-F1" in printed and "accuracy" in printed and "confusion matrix" in printed
    assert "教育文体" in printed and "recall" in printed


def test_a_gb18030_file_is_read(tmp_path, model, capsys):
    path = write_csv(tmp_path / "gbk.csv", labelled(4, n=3), encoding="gb18030")
    assert main(["triage", "evaluate", "--model", str(model), "--data", str(path),
                 "--text", "留言详情", "--label", "一级标签"]) == 0
    assert "macro-F1" in capsys.readouterr().out


def test_a_missing_column_is_named_with_the_available_ones(tmp_path, capsys):
    path = write_csv(tmp_path / "train.csv", labelled(1))
    code = main(["triage", "train", "--data", str(path), "--text", "标题,留言详情", "--label", "一级标签",
                 "--model", str(tmp_path / "m.npz")])
    err = capsys.readouterr().err
    assert code == 2 and "'标题'" in err and "留言主题" in err and "一级标签" in err
    assert not (tmp_path / "m.npz").exists()


def test_an_empty_file_and_an_unreadable_encoding_are_clear_errors(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["hot", "--data", str(empty), "--text", "留言详情", "--time", "时间"]) == 2
    assert "empty" in capsys.readouterr().err
    header_only = write_csv(tmp_path / "header.csv", [])
    assert main(["hot", "--data", str(header_only), "--text", "留言详情", "--time", "时间"]) == 2
    assert "no data rows" in capsys.readouterr().err
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(b"\xff\xfe\x00\x81\x30\xff" * 10)
    assert main(["hot", "--data", str(garbage), "--text", "留言详情", "--time", "时间"]) == 2
    assert "cannot decode" in capsys.readouterr().err


def test_hot_prints_the_hottest_issue_first(tmp_path, capsys):
    rows = [(i, f"魅力之城小区烧烤油烟扰民{i}", "魅力之城小区门口烧烤摊油烟噪音扰民到凌晨", f"2019/9/{i + 1} 10:00:00",
             f"u{i}", 3) for i in range(4)]
    rows += [(9, "社保卡补办太慢", "社保卡补办了两个月还没有拿到", "2019/9/2 10:00:00", "u9", 0)]
    path = write_csv(tmp_path / "hot.csv", rows, header=["编号", "留言主题", "留言详情", "留言时间", "留言用户", "点赞数"])
    assert main(["hot", "--data", str(path), "--text", "留言主题,留言详情", "--time", "留言时间",
                 "--likes", "点赞数", "--user", "留言用户", "--id", "编号", "--top", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("#1") and "魅力之城小区" in out[0]
    assert "4 messages" in out[1] and "12 likes" in out[1]
    assert main(["hot", "--data", str(path), "--text", "留言详情", "--time", "时间"]) == 2
    assert "'时间'" in capsys.readouterr().err
