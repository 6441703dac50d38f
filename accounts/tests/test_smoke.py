import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_returns_token_usable_on_me(admin_user, anon_client):
    response = anon_client.post(
        reverse("auth-login"),
        {"email": "ADMIN@example.com", "password": "correct-horse-battery-staple"},
    )
    assert response.status_code == 200
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['token']}")
    me = anon_client.get(reverse("auth-me"))
    assert me.status_code == 200
    assert me.data["email"] == "admin@example.com"
