import zipfile

import numpy as np

from gongzhi.insights.classifier import TextClassifier

from .toy import messages


def _fit(seed=0):
    rows = messages(15, seed=1)
    return TextClassifier(seed=seed, min_df=1).fit([(t, b) for t, b, _ in rows], [y for _, _, y in rows])


def test_learns_a_toy_taxonomy_with_confidence_and_top3():
    clf = _fit()
    held_out = messages(5, seed=99)
    preds = clf.predict([(t, b) for t, b, _ in held_out])
    accuracy = np.mean([p.label == y for p, (_, _, y) in zip(preds, held_out, strict=True)])
    assert accuracy >= 0.9
    p = clf.predict(["学校的老师收取课程学费"])[0]
    assert p.label == "教育文体"
    assert 1 / 3 < p.confidence <= 1.0
    assert [lab for lab, _ in p.top][0] == "教育文体" and len(p.top) == 3
    assert sorted(lab for lab, _ in p.top) == sorted(clf.labels)
    assert abs(sum(prob for _, prob in p.top) - 1.0) < 1e-6


def test_training_is_reproducible_for_a_seed():
    a, b = _fit(seed=7), _fit(seed=7)
    np.testing.assert_array_equal(a.coef, b.coef)
    docs = ["路口的红绿灯坏了", "河道有垃圾和臭味"]
    np.testing.assert_array_equal(a.predict_proba(docs), b.predict_proba(docs))


def test_save_and_load_give_identical_predictions_without_pickle(tmp_path):
    clf = _fit()
    path = tmp_path / "model.npz"
    clf.save(path)
    assert path.exists() and zipfile.is_zipfile(path)
    with np.load(path, allow_pickle=False) as z:  # would raise on any object (pickled) array
        assert {"meta", "keys", "idf", "coef", "intercept"} <= set(z.files)
        assert all(z[k].dtype != object for k in z.files)
    loaded = TextClassifier.load(path)
    docs = [(t, b) for t, b, _ in messages(4, seed=5)] + ["噪音扰民"]
    np.testing.assert_array_equal(clf.predict_proba(docs), loaded.predict_proba(docs))
    assert [p.label for p in clf.predict(docs)] == [p.label for p in loaded.predict(docs)]


def test_loading_a_file_that_is_not_a_model_fails_clearly(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    try:
        TextClassifier.load(bad)
    except ValueError as exc:
        assert "not a triage model" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ValueError")


def test_saved_model_keeps_its_parameters(tmp_path):
    clf = TextClassifier(seed=3, min_df=1, heading_weight=3.0).fit(
        [(t, b) for t, b, _ in messages(6, seed=2)], [y for _, _, y in messages(6, seed=2)]
    )
    clf.save(tmp_path / "m.npz")
    loaded = TextClassifier.load(tmp_path / "m.npz")
    assert (loaded.heading_weight, loaded.seed, loaded.labels) == (3.0, 3, clf.labels)


def test_feature_lookup_finds_every_known_key_and_nothing_else():
    from gongzhi.insights.text import KeyIndex

    keys = np.array([0, 1, 7, 2**40, 2**63 + 5], dtype=np.uint64)  # 0 is a valid key too
    index = KeyIndex(keys)
    query = np.array([2**63 + 5, 3, 0, 7, 2**40, 8, 1], dtype=np.uint64)
    assert index.lookup(query).tolist() == [4, -1, 0, 2, 3, -1, 1]
