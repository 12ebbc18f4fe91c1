"""Fill the database DATABASE_URL names with a small story made through the services (run as a script by
test_backup_restore.py, in its own process, so that it can target a PostgreSQL database whatever the test run uses).

Prints one JSON line: the editor's token and what was made."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from rest_framework.authtoken.models import Token

    from claims import services
    from claims.models import Article, Contradiction

    editor = User.objects.create_user("backup-editor", "backup@example.org", "backup-editor-pass-1")
    editor.groups.add(Group.objects.get(name="editor"))
    token = Token.objects.create(user=editor).key
    texts = [
        (
            "Dockside walkout enters second week",
            "Dockside walkout enters second week\n\nAbout 1,200 dock workers stayed off the job on Monday, the union "
            "said.\n\nThe new crane terminal opened in June 2016, port records show.\n\nManagement said the dispute "
            "would not end within weeks.",
        ),
        (
            "Port says most staff are back",
            "Port says most staff are back\n\nOnly 900 dock workers joined the stoppage, the port authority said.\n\n"
            "The crane terminal opened in June 2018, according to the operator.\n\nThe authority denied that the "
            "dispute would not end within weeks.",
        ),
    ]
    articles = []
    for index, (title, text) in enumerate(texts):
        article, _ = services.article_submit(
            actor=editor,
            text=text,
            title=title,
            outlet=f"Harbour Post {index}",
            published_at=datetime.datetime(2025, 5, 5 + index, tzinfo=datetime.UTC),
        )
        article.refresh_from_db()
        if article.status == Article.Status.PENDING:
            services.article_ingest(article_id=article.pk)
            article.refresh_from_db()
        articles.append(article)
    common: dict[str, Any] = {
        "actor": editor,
        "subject": "Dock workers on strike",
        "attribute": "striker count",
        "kind": "quantity",
        "unit": "workers",
    }
    services.claim_create(
        article=articles[0],
        quote="About 1,200 dock workers",
        value=1200,
        qualifier="approx",
        speaker="The dock workers' union",
        **common,
    )
    services.claim_create(article=articles[1], quote="900 dock workers", value=900, speaker="Port authority", **common)
    for article, quote, value in ((articles[0], "June 2016", "2016-06"), (articles[1], "June 2018", "2018-06")):
        services.claim_create(
            actor=editor,
            article=article,
            quote=quote,
            kind="date",
            value=value,
            subject="Crane terminal opening",
            attribute="event date",
        )
    flags = list(Contradiction.objects.order_by("id"))
    if flags:
        services.contradiction_resolve(
            contradiction=flags[0], actor=editor, status="confirmed", note="Checked with both outlets: they disagree."
        )
    print(json.dumps({"token": token, "articles": len(articles), "flags": len(flags)}))


if __name__ == "__main__":
    main()
