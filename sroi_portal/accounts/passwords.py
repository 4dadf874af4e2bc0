"""A changed password revokes the user's API tokens.

Every way to change a password (the password change page, the reset link, the admin's "set
password", ``manage.py changepassword``, accepting an invitation) calls ``set_password()`` and then
``save()``, and Django's ``AbstractBaseUser.save()`` then calls ``password_changed()`` of every
password validator. That hook is the one place all of them pass, and only they: a hash upgrade at
login (a new hasher or more iterations) saves the new hash without it, so it revokes nothing.
The validator checks nothing itself; it is listed last in ``AUTH_PASSWORD_VALIDATORS``.
"""

from django.utils.translation import gettext as _

from sroi_portal.api.authentication import revoke_api_tokens


class RevokeAPITokensOnPasswordChange:
    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            revoke_api_tokens(user=user)

    def get_help_text(self):
        return _("Na het wijzigen van uw wachtwoord werken uw API-tokens niet meer.")
