"""Seed the case studies (idempotent): the index page and one CaseStudyPage per data file.

Each fixtures/casestudies/<slug>.yaml names a golden case of the simulator; the situation and
the filing date are read from that golden file, so lessons and tests cannot drift apart. The
YAML adds the story, people, social situation, documents and the modules served (by number).
"""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

import yaml

from lms.models import HomePage
from modules.models import ModulePage

from .models import CaseStudyDocument, CaseStudyIndexPage, CaseStudyPage, CaseStudyPerson
from .situations import load_golden_case, situation_errors

CASES_DIR = Path(settings.BASE_DIR) / "fixtures" / "casestudies"
INDEX_SLUG = "cas-pratiques"

INDEX_INTRO = (
    "Des ménages simulés, construits à partir de situations réelles d'accompagnement. "
    "Pour chacun, ouvrez votre **dossier** et suivez les trois jalons du parcours : "
    "*Identifier*, *Organiser et financer*, *Réaliser et suivre*. Le simulateur vérifie vos "
    "calculs d'aides à la date de dépôt du dossier, et votre formateur·rice valide chaque jalon."
)

LIST_ITEM = re.compile(r"^([-*]|\d+\.) ")
REQUIRED_KEYS = ("slug", "title", "golden_case", "summary", "narrative")
SOCIAL_KEYS = {
    "isolation": "isolation",
    "health": "health",
    "loss_of_autonomy": "loss_of_autonomy",
    "legal_protection": "legal_protection",
    "legal_protection_notes": "legal_protection_notes",
    "debts": "debts",
    "unpaid_energy_bills": "unpaid_energy_bills",
    "social_worker": "social_worker",
}
HOME_KEYS = {
    "insalubrity": "state_insalubrity",
    "dampness": "state_dampness",
    "heating": "state_heating",
    "electrics": "state_electrics",
}


class CaseFileError(ValueError):
    pass


def unwrap(text: str) -> str:
    """Join the hard-wrapped lines of each Markdown paragraph (the YAML files wrap at 100
    columns; the Markdown renderer would keep those breaks). Lists keep one item per line."""
    paragraphs = []
    for block in (text or "").strip().split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and LIST_ITEM.match(lines[0]):
            items: list[str] = []
            for line in lines:
                if LIST_ITEM.match(line) or not items:
                    items.append(line)
                else:
                    items[-1] += " " + line
            paragraphs.append("\n".join(items))
        else:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def read_case_file(path: Path) -> dict:
    """A case study data file, checked; errors name the file and the key."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        line = getattr(getattr(error, "problem_mark", None), "line", None)
        where = f", ligne {line + 1}" if line is not None else ""
        raise CaseFileError(f"{path.name}{where} : YAML invalide ({error})") from error
    if not isinstance(data, dict):
        raise CaseFileError(f"{path.name} : un dictionnaire est attendu.")
    for key in REQUIRED_KEYS:
        if not data.get(key):
            raise CaseFileError(f"{path.name}, clé {key} : valeur obligatoire manquante.")
    try:
        load_golden_case(data["golden_case"])
    except FileNotFoundError as error:
        raise CaseFileError(
            f"{path.name}, clé golden_case : cas de référence « {data['golden_case']} » "
            "introuvable dans casestudies/simulator/golden/."
        ) from error
    return data


def case_files() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("*.yaml") if p.name != "rubrics.yaml")


@transaction.atomic
def seed_index(home: HomePage) -> CaseStudyIndexPage:
    index = CaseStudyIndexPage.objects.first()
    if index is not None:
        return index
    index = CaseStudyIndexPage(title="Cas pratiques", slug=INDEX_SLUG, intro=INDEX_INTRO)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def apply_case_data(page: CaseStudyPage, data: dict) -> None:
    golden = load_golden_case(data["golden_case"])
    situation = golden["situation"]
    page.title = data["title"]
    page.summary = data["summary"]
    page.location = data.get("location", "")
    page.golden_case = data["golden_case"]
    page.situation = situation
    page.filed_on = datetime.date.fromisoformat(situation["as_of"])
    page.narrative = [("markdown", unwrap(data["narrative"]))]
    page.resources = unwrap(data.get("resources", ""))
    page.constraints = unwrap(data.get("constraints", ""))
    page.trainer_notes = unwrap(data.get("trainer_notes", ""))
    for key, attribute in HOME_KEYS.items():
        setattr(page, attribute, data.get("home", {}).get(key, ""))
    social = data.get("social", {})
    for key, attribute in SOCIAL_KEYS.items():
        default = False if attribute in ("unpaid_energy_bills", "social_worker") else ""
        setattr(page, attribute, social.get(key, default))
    page.people = [
        CaseStudyPerson(
            name=person["name"],
            age=person.get("age"),
            relationship=person.get("relationship", ""),
            occupation=person.get("occupation", ""),
        )
        for person in data.get("people", [])
    ]
    page.documents = [
        CaseStudyDocument(title=doc["title"], description=unwrap(doc.get("description", "")))
        for doc in data.get("documents", [])
    ]
    page.modules = list(ModulePage.objects.filter(number__in=data.get("modules", [])))


@transaction.atomic
def seed_case_study(index: CaseStudyIndexPage, data: dict) -> tuple[CaseStudyPage, bool]:
    page = CaseStudyPage.objects.filter(slug=data["slug"]).first()
    if page is not None:
        return page, False
    page = CaseStudyPage(slug=data["slug"])
    apply_case_data(page, data)
    problem = situation_errors(page.situation, filed_on=page.filed_on)
    if problem:
        raise CaseFileError(f"{data['slug']}.yaml : {problem}")
    index.add_child(instance=page)
    page.save_revision().publish()
    return page, True


DEMO_DOSSIER = CASES_DIR / "demo" / "dossier.yaml"


@transaction.atomic
def seed_demo_dossier(stdout=None) -> None:
    """The demo trainee's dossier, only when they exist, are enrolled and have no dossier yet."""
    from lms.models import User

    from .milestones import Milestone
    from .permissions import may_work_case_studies
    from .services import dossier_field_save, dossier_open, milestone_submit

    with DEMO_DOSSIER.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    trainee = User.objects.filter(email__iexact=data["trainee"]).first()
    case = CaseStudyPage.objects.filter(slug=data["case_study"]).first()
    if trainee is None or case is None or trainee.dossiers.exists():
        return
    if not may_work_case_studies(trainee):
        return
    dossier = dossier_open(trainee=trainee, case_study=case)
    for milestone, answers in data["answers"].items():
        for name, value in answers.items():
            values = value if isinstance(value, list) else [unwrap(str(value))]
            dossier_field_save(dossier=dossier, milestone=milestone, name=name, values=values)
    for milestone in data.get("submit", []):
        outcome = milestone_submit(dossier=dossier, milestone=Milestone(milestone))
        if outcome.submission is None:
            raise CaseFileError(f"demo/dossier.yaml, jalon {milestone} : {outcome.form.errors}")
    if stdout is not None:
        stdout.write(f"  dossier de démonstration : {trainee.email} · {case.title}")


def seed(stdout=None) -> None:
    home = HomePage.objects.first()
    if home is None:
        from lms.seed import seed_home

        home = seed_home()
    index = seed_index(home)
    for path in case_files():
        data = read_case_file(path)
        page, created = seed_case_study(index, data)
        if created and stdout is not None:
            stdout.write(f"  cas pratique : {page.title}")
    seed_demo_dossier(stdout)
