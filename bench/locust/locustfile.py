"""The load test: people of every role doing their daily work, on every web instance.

Run by the rehearsal (``scripts/rehearse.py --locust-users 200 --locust-seconds 60``,
``make rehearse`` and ``make loadtest``), which seeds the people and starts the servers,
then runs, headless and bounded:

    locust -f bench/locust/locustfile.py --headless --users 200 --run-time 60s ...

with ``SAMEPAGE_LOCUST_ACCOUNTS`` (the JSON scripts/rehearse_seed.py wrote) and
``SAMEPAGE_LOCUST_HOSTS`` (comma-separated base URLs; each person goes to the next
instance for every request, so sessions are shared across them all the time).

Each simulated person signs in once as their own account (staff with a fresh two-factor
code) and then, with 5 to 15 seconds of reading between pages:

- parents read their child's page and plan, the concerns page, now and then a plan
  PDF, and share a concern;
- case managers work their caseload: home, student and plan lists, a child's page and
  profile, and add a profile observation;
- school leaders and district administrators open their home and the lists.

Any answer other than the page a person expects (a 4xx, a 5xx, a redirect to sign-in)
is a failure; the rehearsal requires none.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, task
from locust.exception import StopUser

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from rehearse_tools import Account, post_headers, prepare_browser, sign_in

PASSWORD = os.environ.get("SAMEPAGE_DEMO_PASSWORD", "riverbend-demo-2026")
HOSTS = [h.rstrip("/") for h in os.environ.get("SAMEPAGE_LOCUST_HOSTS", "").split(",") if h]


def _accounts() -> dict[str, list[Account]]:
    path = os.environ.get("SAMEPAGE_LOCUST_ACCOUNTS")
    by_role: dict[str, list[Account]] = defaultdict(list)
    if path:
        for data in json.loads(Path(path).read_text()):
            account = Account(**data)
            by_role[account.role].append(account)
    return by_role


ACCOUNTS = _accounts()
_turns = itertools.count()


class Person(HttpUser):
    """One account, signed in once; every request goes to the next web instance."""

    abstract = True
    role = ""
    # People read a page before the next: 200 of them ask for about 20 pages a second.
    wait_time = between(5, 15)

    def on_start(self) -> None:
        pool = ACCOUNTS.get(self.role)
        if not pool:
            # Each person is one account: two people sharing one would share codes.
            raise StopUser(f"no {self.role} account left for another simulated person")
        self.account = pool.pop()
        self.turn = next(_turns)
        self.hosts = HOSTS or [self.host.rstrip("/")]
        prepare_browser(self.client)
        sign_in(self.client, self.base(), self.account, PASSWORD, name="sign in")

    def base(self) -> str:
        self.turn += 1
        return self.hosts[self.turn % len(self.hosts)]

    def page(self, name: str, path: str, *, expect: str | None = None) -> Any:
        with self.client.get(self.base() + path, name=name, catch_response=True) as response:
            self._judge(response, expect or path)
        return response

    def send(self, name: str, path: str, data: dict[str, str], *, expect: str) -> None:
        base = self.base()
        with self.client.post(
            base + path,
            data=data,
            headers=post_headers(self.client, base),
            name=name,
            catch_response=True,
        ) as response:
            self._judge(response, expect)

    @staticmethod
    def _judge(response: Any, expect: str) -> None:
        if response.status_code != 200:
            response.failure(f"{response.status_code} at {response.url}")
        elif not urlsplit(response.url).path.endswith(expect):
            response.failure(f"ended at {response.url}, not {expect}")
        else:
            response.success()


class Parent(Person):
    role = "parent"
    weight = 60

    @task(3)
    def home(self) -> None:
        self.page("home", "/home/")

    @task(3)
    def child(self) -> None:
        self.page("student overview", f"/students/{self.account.students[0]}/")

    @task(2)
    def plan(self) -> None:
        self.page("plan page", f"/plans/{self.account.plans[0][0]}/")

    @task(1)
    def concerns(self) -> None:
        self.page("concerns", f"/students/{self.account.students[0]}/concerns/")

    @task(1)
    def plan_pdf(self) -> None:
        plan, number = self.account.plans[0]
        self.page("plan PDF", f"/plans/{plan}/versions/{number}/pdf/")

    @task(1)
    def add_concern(self) -> None:
        student = self.account.students[0]
        self.send(
            "add concern",
            f"/students/{student}/concerns/add/",
            {
                "add-category": "behavior",
                "add-importance": "medium",
                "add-text": f"load test concern {uuid.uuid4().hex}",
            },
            expect=f"/students/{student}/concerns/",
        )


class CaseManager(Person):
    role = "case_manager"
    weight = 25

    def student(self) -> int:
        return self.account.students[self.turn % len(self.account.students)]

    @task(3)
    def caseload(self) -> None:
        self.page("home", "/home/")

    @task(1)
    def students(self) -> None:
        self.page("student list", "/students/")

    @task(1)
    def plans(self) -> None:
        self.page("plan list", "/plans/")

    @task(2)
    def child(self) -> None:
        self.page("student overview", f"/students/{self.student()}/")

    @task(2)
    def plan(self) -> None:
        plans = self.account.plans
        self.page("plan page", f"/plans/{plans[self.turn % len(plans)][0]}/")

    @task(2)
    def profile(self) -> None:
        self.page("profile", f"/students/{self.student()}/profile/")

    @task(1)
    def add_observation(self) -> None:
        student = self.student()
        self.send(
            "add profile entry",
            f"/students/{student}/profile/add/",
            {
                "section": "calming",
                "text": f"load test observation {uuid.uuid4().hex}",
                "visibility": "team",
            },
            expect=f"/students/{student}/profile/",
        )


class SchoolLeader(Person):
    role = "school_leader"
    weight = 10

    @task(2)
    def home(self) -> None:
        self.page("home", "/home/")

    @task(2)
    def students(self) -> None:
        self.page("student list", "/students/")

    @task(2)
    def plans(self) -> None:
        self.page("plan list", "/plans/")


class DistrictAdmin(Person):
    role = "district_admin"
    weight = 5

    @task(3)
    def home(self) -> None:
        self.page("home", "/home/")

    @task(1)
    def students(self) -> None:
        self.page("student list", "/students/")

    @task(1)
    def plans(self) -> None:
        self.page("plan list", "/plans/")
