"""Load the demo story (articles this project wrote itself, with page junk and contradictions) and a demo editor."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from claims import services
from claims.models import Article, Claim

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"


class Command(BaseCommand):
    help = "Load demo articles and claims, and create the demo editor (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--username", default="editor")
        parser.add_argument("--password", default="editor-demo-pass")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=options["username"], defaults={"email": "editor@example.org"}
        )
        if created:
            user.set_password(options["password"])
            user.save()
        user.groups.add(Group.objects.get(name="editor"))
        spec = json.loads((DEMO_DIR / "claims.json").read_text(encoding="utf-8"))
        articles: list[Article] = []
        for item in spec["articles"]:
            published = datetime.datetime.fromisoformat(item["published_at"]).replace(tzinfo=datetime.UTC)
            article, _ = services.article_submit(
                actor=user,
                text=(DEMO_DIR / item["file"]).read_text(encoding="utf-8"),
                title=item["title"],
                outlet=item["outlet"],
                published_at=published,
            )
            article.refresh_from_db()
            if article.status == Article.Status.PENDING:
                services.article_ingest(article_id=article.pk)
                article.refresh_from_db()
            articles.append(article)
        made = 0
        for item in spec["claims"]:
            article = articles[item.pop("article")]
            if Claim.objects.filter(article=article, quote=item["quote"], status=Claim.Status.CONFIRMED).exists():
                continue
            services.claim_create(actor=user, article=article, **item)
            made += 1
        self.stdout.write(
            f"demo data: {len(articles)} articles, {made} new claims; editor login "
            f"{options['username']} / {options['password'] if created else '(unchanged)'}"
        )
