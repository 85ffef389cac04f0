from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "samepage.plans"
    label = "plans"

    def ready(self) -> None:
        # A final version's PDFs are stored once, in the background, after the commit
        # that made it final or put it in effect (plans/actions/lifecycle.AFTER_FINAL).
        from samepage.plans.actions.lifecycle import AFTER_FINAL
        from samepage.plans.tasks import enqueue_final_pdfs

        if enqueue_final_pdfs not in AFTER_FINAL:
            AFTER_FINAL.append(enqueue_final_pdfs)
        # The homes sit above plans (see teams/attention.py).
        from samepage.plans.attention import QUESTIONS_ATTENTION, UNSHARED_DRAFTS_ATTENTION
        from samepage.teams.attention import register_attention

        register_attention(QUESTIONS_ATTENTION)
        register_attention(UNSHARED_DRAFTS_ATTENTION)
