from django.urls import path

from . import views

app_name = "pages"

urlpatterns = [
    path("about/", views.about, name="about"),
    path("guidelines/", views.guidelines, name="guidelines"),
    path("terms/", views.terms, name="terms"),
    path("contact/", views.contact, name="contact"),
]
