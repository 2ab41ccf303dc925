from gongzhi.core.navigation import menu_for, user_menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "user_menu": []}
    return {"menu": menu_for(user), "user_menu": user_menu_for(user)}
