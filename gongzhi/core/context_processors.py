from gongzhi.core.navigation import menu_for, user_menu_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "menu_badge": 0, "user_menu": []}
    menu = menu_for(user, request.path)
    return {"menu": menu, "menu_badge": sum(g["badge"] for g in menu), "user_menu": user_menu_for(user)}
