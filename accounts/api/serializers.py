"""Serializers of accounts: the caller's own account, login, tokens, passwords, and users as
admins and owners see them; the email and password fields every signup form uses."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.emails import normalize_email, validate_email_address
from accounts.models import Organization, User, validate_language, validate_timezone
from core.api.fields import StrictCharField, StrictModelSerializer, VisibleRelatedField

PASSWORD_FIELD_OPTIONS = {
    "write_only": True,
    "trim_whitespace": False,
    "max_length": 256,
    "style": {"input_type": "password"},
}


def _django_validator(validator):
    def run(value):
        try:
            validator(value)
        except DjangoValidationError as error:
            raise serializers.ValidationError(list(error.messages)) from error

    return run


def validate_new_password(password: str, user: User | None = None, *, field: str | None = None):
    """Run Django's password validators; report their messages under `field` when given."""
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as error:
        messages = list(error.messages)
        raise serializers.ValidationError({field: messages} if field else messages) from error
    return password


class EmailField(serializers.EmailField):
    """An email refused if only a lookalike would contain it, else normalised the way it is
    stored (accounts.emails); users and candidates alike."""

    def to_internal_value(self, data):
        raw = super().to_internal_value(data)
        try:
            validate_email_address(raw)
        except DjangoValidationError as error:
            raise serializers.ValidationError(list(error.messages)) from error
        return normalize_email(raw)


class MeSerializer(StrictModelSerializer):
    """The caller's own account; name, time zone and language are editable. `organization` is
    null for admins and candidates."""

    organization = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    timezone = StrictCharField(max_length=64, validators=[_django_validator(validate_timezone)])
    language = StrictCharField(max_length=16, validators=[_django_validator(validate_language)])

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "organization",
            "account_status",
            "timezone",
            "language",
        ]
        read_only_fields = ["id", "email", "role", "account_status"]
        extra_kwargs = {"full_name": {"min_length": 2}}


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(**PASSWORD_FIELD_OPTIONS)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)


class LoginResponseSerializer(TokenSerializer):
    user = MeSerializer(read_only=True)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = StrictCharField(**PASSWORD_FIELD_OPTIONS)
    new_password = StrictCharField(min_length=8, **PASSWORD_FIELD_OPTIONS)

    def validate_old_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The current password is not correct.")
        return value

    def validate_new_password(self, value):
        return validate_new_password(value, self.context["request"].user)


class UserSerializer(StrictModelSerializer):
    """A user as admins and owners see and change it. The password is not among its fields:
    only its owner changes it (auth/password/), and a change that sends one is a 400.

    `organization`: an admin names any (omitted: `default` for owners, recruiters and engines;
    given for an admin or a candidate: 400); an owner's users are in its own, and naming
    another one is a 400.
    """

    email = EmailField(max_length=254)
    organization = VisibleRelatedField(
        queryset=Organization.objects.all(), required=False, allow_null=True
    )
    timezone = StrictCharField(
        max_length=64, required=False, validators=[_django_validator(validate_timezone)]
    )
    language = StrictCharField(
        max_length=16, required=False, validators=[_django_validator(validate_language)]
    )
    is_locked = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "role",
            "organization",
            "account_status",
            "timezone",
            "language",
            "failed_login_attempts",
            "locked_until",
            "is_locked",
            "last_login",
            "last_failed_login_at",
            "login_count",
            "is_staff",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "failed_login_attempts",
            "locked_until",
            "last_login",
            "last_failed_login_at",
            "login_count",
            "is_staff",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"full_name": {"min_length": 2}}

    def get_is_locked(self, user: User) -> bool:
        return user.is_locked()

    def validate(self, attrs):
        if "password" in self.initial_data:
            raise serializers.ValidationError(
                {"password": ["Passwords are changed by their owner through auth/password/."]}
            )
        return attrs


class UserCreateSerializer(UserSerializer):
    """A new user: the fields of UserSerializer and its first password (write-only)."""

    password = StrictCharField(min_length=8, **PASSWORD_FIELD_OPTIONS)

    class Meta(UserSerializer.Meta):
        fields = ["id", "email", "password", *UserSerializer.Meta.fields[2:]]

    def validate(self, attrs):
        draft = User(email=attrs["email"], full_name=attrs.get("full_name", ""))
        validate_new_password(attrs["password"], draft, field="password")
        return attrs
