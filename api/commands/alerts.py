"""`councilpapers alerts add|list|remove|run`: saved searches, matched by every ingest and harvest (index.alerts).

alerts add [--query WORDS] [--council C]... [--committee C]... [--theme ID] [--entity NAME]
           [--webhook URL] [--email ADDRESS [--every now|daily|weekly]] [--name NAME]
alerts list [--json]
alerts remove ID...
alerts run [--no-webhook] [--no-email] [--json]   what each saved search matched since the last run;
                                                 webhooks and e-mail digests sent
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from api.cli import CommandError
from index import alerts
from index.alerts import EVERY, citation, digest_json, paper_link
from index.links import absolute
from index.names import UnknownName, resolve_or_keep
from index.readable import uk_date
from index.runtime import Runtime
from index.store import Store
from index.subscriptions import send_mail


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "alerts", help="saved searches: add, list, remove; run prints what is new since the last run"
    )
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    add = actions.add_parser("add", help="save a search: words with filters, an entity or a theme")
    add.add_argument(
        "--query", default="", metavar="WORDS", help="what to look for (search's relevance floor)"
    )
    add.add_argument(
        "--council", action="append", default=[], metavar="NAME", help="only this council (repeat)"
    )
    add.add_argument(
        "--committee", action="append", default=[], metavar="NAME", help="only this committee (repeat)"
    )
    add.add_argument("--theme", metavar="ID", help="a theme id (nlp/data/themes.json)")
    add.add_argument("--entity", metavar="NAME", help="a partnership or operation, by name or acronym")
    add.add_argument(
        "--webhook", metavar="URL", help="POST a JSON digest here on each run with something new"
    )
    add.add_argument(
        "--email",
        metavar="ADDRESS",
        help="e-mail a digest of what is new to this address (`alerts run` sends it; COUNCILPAPERS_SMTP_URL)",
    )
    add.add_argument(
        "--every",
        choices=EVERY,
        default="now",
        help="how often at most an e-mail digest goes (default: now, at each run)",
    )
    add.add_argument("--name", default="", help="a name for the saved search (default: the query)")
    ls = actions.add_parser("list", help="the saved searches")
    ls.add_argument("--json", action="store_true", help="one JSON line per saved search")
    rm = actions.add_parser("remove", help="delete saved searches and their matches")
    rm.add_argument("ids", nargs="+", type=int, metavar="ID")
    run_ = actions.add_parser("run", help="print what each saved search matched since the last run")
    run_.add_argument("--no-webhook", action="store_true", help="do not POST to webhooks")
    run_.add_argument("--no-email", action="store_true", help="send no e-mail (confirmations, digests)")
    run_.add_argument("--json", action="store_true", help="one JSON line per saved search with news")
    for action in (add, ls, rm, run_):
        action.add_argument("--store", type=Path, default=argparse.SUPPRESS, help="store folder")
    return p


def run(args: argparse.Namespace, runtime: Runtime) -> int:
    settings = runtime.settings
    with Store.open(settings) as store:
        if args.action == "add":
            if args.every != "now" and not args.email:
                raise CommandError("--every is how often e-mail goes: give --email ADDRESS too")
            councils, committees = _names(store, args.council, args.committee)
            try:
                a = alerts.add_alert(
                    store,
                    alerts.AlertSpec(
                        query=args.query,
                        councils=councils,
                        committees=committees,
                        theme=args.theme,
                        entity=args.entity,
                        webhook=args.webhook,
                        name=args.name,
                        email=args.email,
                        every=args.every,
                    ),
                    settings,
                )
            except alerts.AlertError as e:
                raise CommandError(str(e)) from None
            feed = f"/feeds/{a.id}.atom"
            print(
                f"saved search {a.id}: {a.name} ({alerts.describe(a)}); feed {absolute(settings.public_url, feed) or feed}"
                + (f"; e-mail to {a.email} ({a.every})" if a.email else "")
            )
        elif args.action == "list":
            for a in store.alerts().all():
                if args.json:
                    print(json.dumps(alerts.alert_json(a), ensure_ascii=False))
                else:
                    print(
                        f"{a.id}\t{a.name}\t{alerts.describe(a)}"
                        + (f"\twebhook {a.webhook}" if a.webhook else "")
                        + (
                            f"\te-mail {a.email} ({a.every}{'' if a.confirmed else ', unconfirmed'})"
                            if a.email
                            else ""
                        )
                    )
        elif args.action == "remove":
            missing = [str(i) for i in args.ids if not store.alerts().remove(i)]
            if missing:
                raise CommandError(f"no saved search with id {', '.join(missing)}")
            print(f"removed {len(args.ids)} saved search(es)")
        else:
            digests = alerts.run_alerts(store, settings, webhooks=not args.no_webhook)
            mail = [] if args.no_email else send_mail(store, settings)
            return _report(digests, mail, settings.public_url, args.json)
    return 0


def _names(
    store: object, councils: list[str], committees: list[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Councils and committees as stored (index.names.resolve_or_keep); a misspelt one exits 2 with a suggestion."""
    try:
        return (
            tuple(resolve_or_keep(store, "council", councils)),  # type: ignore[arg-type]
            tuple(resolve_or_keep(store, "committee", committees)),
        )  # type: ignore[arg-type]
    except UnknownName as e:
        raise CommandError(str(e), status=2) from None


def _report(digests: list, mail: list, public_url: str, as_json: bool) -> int:
    """Print what is new (index.alerts.Digest) and how the e-mail went (index.subscriptions.MailOutcome);
    1 when a webhook or an e-mail failed."""
    news = [d for d in digests if d.matches]
    if not news and not as_json:
        print("nothing new since the last run")
    failed = False
    for d in news:
        if as_json:
            print(
                json.dumps(
                    {**digest_json(d.alert, list(d.matches), public_url), "webhook": d.webhook},
                    ensure_ascii=False,
                )
            )
            continue
        print(f'saved search {d.alert.id} "{d.alert.name}": {len(d.matches)} new')
        for m in d.matches:
            where = ", ".join(x for x in (m.council, m.committee, uk_date(m.meeting_date)) if x)
            link = absolute(public_url, paper_link(m)) or paper_link(m)
            print(f"  {citation(m)}" + (f" ({where})" if where else "") + f"  {link}")
            print(f"    {' '.join(m.text.split())[:200]}")
        if d.webhook:
            print(f"  webhook: {d.webhook}")
        failed = failed or d.webhook.startswith("failed")
    for o in mail:
        what = f"{o.kind} to {o.email}" + (
            f" ({o.papers} paper{'s' if o.papers != 1 else ''})" if o.papers else ""
        )
        if as_json:
            print(json.dumps({"email": o.email, "kind": o.kind, "papers": o.papers, "error": o.error}))
        else:
            print(
                f"e-mail: {what}: {'sent' if o.error is None else 'not sent, retried next run: ' + o.error}"
            )
        failed = failed or o.error is not None
    return 1 if failed else 0
