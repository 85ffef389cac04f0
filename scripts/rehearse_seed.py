"""Add synthetic people to a seeded demo district, for the rehearsal and the load test.

    DATABASE_URL=... .venv/bin/python scripts/rehearse_seed.py --out accounts.json \
        --parents 120 --case-managers 50 --leaders 20 --admins 10

Run after ``manage.py seed_demo``, against a scratch database only. Each two parents get a
child in a demo school with a plan in effect; each case manager a caseload
of those children; leaders lead a demo school, administrators the district. Every staff
member gets a confirmed authenticator (two-factor is required of staff in production),
made through the same actions as the set-up page, so each simulated person can sign in
for real. Rows are made by samepage's factories, which call the real actions (audit
included). Writes the accounts, with their authenticator keys and their children's
student and plan ids, as JSON for the load clients.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samepage.settings")

import django  # noqa: E402

django.setup()

from rehearse_tools import Account, totp_code, totp_step  # noqa: E402

from samepage import factories as f  # noqa: E402
from samepage.accounts import actions as account_actions  # noqa: E402
from samepage.home import demo  # noqa: E402
from samepage.schools import actions as school_actions  # noqa: E402
from samepage.schools.models import District, School  # noqa: E402

SYNTHETIC_DOMAIN = "rehearsal.example"


def _with_authenticator(user, account: Account) -> None:
    device = account_actions.do_start_two_factor_setup(user, actor=user)
    now = time.time()
    confirmed = account_actions.do_confirm_two_factor(
        user, actor=user, code=totp_code(device.key, now)
    )
    assert confirmed is not None, f"could not confirm an authenticator for {user.email}"
    account.totp_key = device.key
    account.last_step = totp_step(now)


def seed(parents: int, case_managers: int, leaders: int, admins: int) -> list[Account]:
    district = District.objects.get(name=demo.DISTRICT_NAME)
    schools = list(School.objects.filter(district=district).order_by("pk"))
    password = demo.demo_password()
    accounts: list[Account] = []

    managers = []
    for n in range(case_managers):
        school = schools[n % len(schools)]
        user = f.make_user(
            f"Case Manager {n}", email=f"cm{n}@{SYNTHETIC_DOMAIN}", password=password
        )
        school_actions.do_create_staff_profile(
            actor=None,
            user=user,
            district=district,
            role=f.StaffRole.CASE_MANAGER,
            schools=[school],
        )
        account = Account(email=user.email, role="case_manager")
        _with_authenticator(user, account)
        managers.append((user, school, account))
        accounts.append(account)

    # Two guardians per child, as in most households: half as many plans to make.
    student = version = None
    for n in range(parents):
        manager, school, manager_account = managers[(n // 2) % len(managers)]
        if n % 2 == 0:
            student = f.make_student(school, legal_first_name=f"Rehearsal{n}", grade="5")
            f.add_to_team(student, manager, f.TeamRole.CASE_MANAGER)
        parent = f.make_user(
            f"Parent {n}", email=f"parent{n}@{SYNTHETIC_DOMAIN}", password=password
        )
        f.make_guardian(student, parent)
        if n % 2 == 0:
            version = f.make_plan_in_effect(student, signer=parent, actor=manager)
            manager_account.students.append(student.pk)
            manager_account.plans.append([version.plan_id, version.number])
        assert student is not None and version is not None
        accounts.append(
            Account(
                parent.email,
                "parent",
                students=[student.pk],
                plans=[[version.plan_id, version.number]],
            )
        )

    for n in range(leaders):
        user = f.make_user(f"Leader {n}", email=f"leader{n}@{SYNTHETIC_DOMAIN}", password=password)
        school_actions.do_create_staff_profile(
            actor=None,
            user=user,
            district=district,
            role=f.StaffRole.SCHOOL_LEADER,
            schools=[schools[n % len(schools)]],
        )
        account = Account(email=user.email, role="school_leader")
        _with_authenticator(user, account)
        accounts.append(account)

    for n in range(admins):
        user = f.make_user(f"Admin {n}", email=f"admin{n}@{SYNTHETIC_DOMAIN}", password=password)
        school_actions.do_create_staff_profile(
            actor=None, user=user, district=district, role=f.StaffRole.DISTRICT_ADMIN, schools=[]
        )
        account = Account(email=user.email, role="district_admin")
        _with_authenticator(user, account)
        accounts.append(account)
    return accounts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--parents", type=int, default=120)
    parser.add_argument("--case-managers", type=int, default=50)
    parser.add_argument("--leaders", type=int, default=20)
    parser.add_argument("--admins", type=int, default=10)
    args = parser.parse_args()
    began = time.monotonic()
    accounts = seed(args.parents, args.case_managers, args.leaders, args.admins)
    args.out.write_text(json.dumps([asdict(a) for a in accounts], indent=1))
    print(f"Seeded {len(accounts)} synthetic people in {time.monotonic() - began:.1f}s.")


if __name__ == "__main__":
    main()
