from gongzhi.core.navigation import USER_MENU, menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "user_menu": []}
    return {"menu": menu_for(user), "user_menu": menu_for(user, USER_MENU)}
