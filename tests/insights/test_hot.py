from datetime import datetime

from gongzhi.insights.hot import Message, extract_places, heat_index, mine_hot_issues


def msg(i, title, text, day, user, likes=0):
    return Message(id=i, title=title, text=text, time=datetime(2019, 9, day, 10), user=user, likes=likes)


MESSAGES = [
    msg(1, "A5区魅力之城小区临街门面油烟扰民", "A5区魅力之城小区楼下烧烤店油烟直排，噪音扰民到凌晨。", 1, "u1", 5),
    msg(2, "魅力之城小区底层餐馆油烟噪音扰民", "魅力之城小区一楼餐馆油烟很大，夜里噪音扰民严重。", 3, "u2", 10),
    msg(3, "A市魅力之城小区烧烤油烟扰民", "魅力之城小区门口烧烤摊油烟熏人，噪音吵得睡不着。", 5, "u3"),
    msg(4, "魅力之城小区油烟噪音问题", "魅力之城小区临街门面油烟和噪音扰民，请处理。", 8, "u4", 2),
    msg(5, "丽发新城小区搅拌站灰尘噪音", "丽发新城小区旁边搅拌站灰尘很大，噪音扰民。", 2, "u5"),
    msg(6, "丽发新城小区附近搅拌站污染", "丽发新城小区附近的搅拌站灰尘污染严重，噪音大。", 6, "u6"),
    msg(7, "魅力之城小区孩子入学问题", "魅力之城小区业主的孩子不能上配套小学。", 4, "u7"),
    msg(8, "社保卡补办太慢", "我的社保卡补办了两个月还没有拿到。", 7, "u8"),
]


def test_places_are_found_in_chinese_text():
    places = extract_places("反映A市A5区魅力之城小区和劳动东路交汇处的问题")
    assert places[0] == "魅力之城小区" and "劳动东路" in places


def test_messages_about_the_same_place_and_problem_form_one_issue_ranked_by_heat():
    issues = mine_hot_issues(MESSAGES, top=None)
    first, second = issues[0], issues[1]
    assert sorted(first.message_ids) == [1, 2, 3, 4]
    assert "魅力之城小区" in first.place and first.count == 4 and first.users == 4 and first.likes == 17
    assert (first.start, first.end) == (datetime(2019, 9, 1, 10), datetime(2019, 9, 8, 10))
    assert sorted(second.message_ids) == [5, 6]
    assert first.heat > second.heat
    assert all(7 not in i.message_ids or i.count == 1 for i in issues)  # another problem at the same place
    assert sum(i.count for i in issues) == len(MESSAGES)
    assert [i.rank for i in issues] == list(range(1, len(issues) + 1))


def test_likes_raise_the_heat_of_an_equal_sized_group():
    assert heat_index(2, 2, 100, 0, 0, 0, 0) > heat_index(2, 2, 0, 0, 0, 0, 0)
    assert heat_index(3, 3, 0, 0, 0, 3, 0) > heat_index(3, 3, 0, 0, 90, 0, 0)  # recent and growing
    assert mine_hot_issues([]) == []
