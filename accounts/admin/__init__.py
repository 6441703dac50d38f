"""The admin of accounts: organizations (organizations.py) and users (users.py); importing the
package registers both."""

from accounts.admin import organizations, users  # noqa: F401  registers
