from __future__ import annotations

from typing import Any

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from samepage.accounts.models import User


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = int(current_code(device))
    return f"{(right + 500_000) % 1_000_000:06d}"


def make_device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="SamePage", confirmed=confirmed)


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings: Any) -> None:
    # Throttling after a wrong code is django-otp's job and tested there; here it would
    # make "wrong code, then the right one" depend on the clock.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
