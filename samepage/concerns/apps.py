from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "samepage.concerns"
    label = "concerns"

    def ready(self) -> None:
        # The family's concerns are a part of every plan version (see plans/contributions).
        from samepage.concerns.presenters import shown_from_content
        from samepage.concerns.selectors import concerns_for_plan
        from samepage.plans.contributions import contribute

        contribute("concerns", build=concerns_for_plan, show=shown_from_content)
        # The homes sit above concerns (see teams/attention.py).
        from samepage.concerns.attention import OPEN_CONCERNS_ATTENTION
        from samepage.teams.attention import register_attention

        register_attention(OPEN_CONCERNS_ATTENTION)
