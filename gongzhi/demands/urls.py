from django.urls import path

from gongzhi.demands import views

app_name = "demands"
urlpatterns = [
    # public (no account): the resident's H5 pages
    path("h5/", views.submit, name="submit"),
    path("h5/done/", views.submitted, name="submitted"),
    path("h5/categories/", views.category_children, name="category_children"),
    path("h5/track/", views.track, name="track"),
    path("h5/track/<str:code>/", views.track_status, name="track_status"),
    path("h5/track/<str:code>/resend/", views.track_resend, name="track_resend"),
    path("h5/recover/<str:token>/", views.track_recover, name="track_recover"),
    path("h5/phone/", views.verify_phone, name="verify_phone"),
    path("h5/support/<str:code>/", views.support, name="support"),
    path("h5/similar/", views.similar, name="similar"),
    # staff
    path("", views.queue, name="queue"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
    path("board/", views.claim_board, name="claim_board"),
    path("overdue/", views.overdue, name="overdue"),
    path("joint-meeting/", views.agenda, name="agenda"),
    path("extensions/", views.extensions, name="extensions"),
    path("extensions/<int:pk>/decide/", views.decide_extension, name="decide_extension"),
    path("mine/", views.mine, name="mine"),
    path("my-items/", views.my_items, name="my_items"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_read, name="inbox_read"),
]
