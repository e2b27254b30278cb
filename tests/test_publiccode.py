"""publiccode.yml carries what version 0.4 of the standard requires, and the licence pyproject names."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# From the standard, version 0.4 (publiccodeyml/publiccode.yml, docs/standard/schema.core.rst and
# categories-list.rst). Keys marked "Presence: mandatory"; releaseDate became optional in 0.4.
REQUIRED_TOP_LEVEL = (
    "publiccodeYmlVersion",
    "name",
    "url",
    "platforms",
    "categories",
    "developmentStatus",
    "softwareType",
    "description",
    "legal",
    "maintenance",
    "localisation",
)
DEVELOPMENT_STATUS = {"concept", "development", "beta", "stable", "obsolete"}
SOFTWARE_TYPES = {
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
}
MAINTENANCE_TYPES = {"internal", "contract", "community", "none"}
# The standard's controlled vocabulary, as it reads there (a list literal would be 100 lines).
CATEGORIES = set(
    """
    accounting agile-project-management applicant-tracking application-development
    appointment-scheduling backup billing-and-invoicing blog budgeting business-intelligence
    business-process-management cad call-center-management cloud-management collaboration
    communications compliance-management contact-management content-management crm
    customer-service-and-support data-analytics data-collection data-visualization design
    design-system digital-asset-management digital-citizenship document-management
    donor-management e-commerce e-signature educational-content email-management email-marketing
    employee-management enterprise-project-management enterprise-social-networking erp
    event-management facility-management feedback-and-reviews-management financial-reporting
    fleet-management fundraising gamification geographic-information-systems grant-management
    graphic-design help-desk hr ide identity-management instant-messaging
    integrated-library-system inventory-management it-asset-management it-development
    it-management it-security it-service-management knowledge-management
    learning-management-system marketing mind-mapping mobile-marketing mobile-payment
    network-management office online-booking online-community payment-gateway payroll
    predictive-analysis procurement productivity-suite project-collaboration project-management
    property-management real-estate-management regulations-and-directives remote-support
    resource-management sales-management seo service-desk social-media-management survey
    talent-management task-management taxes-management test-management time-management
    time-tracking translation video-conferencing video-editing visitor-management voip
    warehouse-management web-collaboration web-conferencing website-builder whistleblowing
    workflow-management
    """.split()  # noqa: SIM905
)


@pytest.fixture(scope="module")
def publiccode() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def project() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        data: dict[str, Any] = tomllib.load(file)["project"]
    return data


def test_publiccode_has_the_required_top_level_keys(publiccode: dict[str, Any]) -> None:
    """Every key that the 0.4 standard marks mandatory is present, with a value from its list."""
    assert [key for key in REQUIRED_TOP_LEVEL if key not in publiccode] == []
    assert publiccode["publiccodeYmlVersion"] == "0.4"
    assert publiccode["url"].startswith("https://")
    assert publiccode["platforms"] == ["linux"]
    assert publiccode["categories"]
    assert set(publiccode["categories"]) <= CATEGORIES
    assert publiccode["developmentStatus"] in DEVELOPMENT_STATUS
    assert publiccode["softwareType"] in SOFTWARE_TYPES


def test_publiccode_describes_the_bot_in_dutch_and_english(publiccode: dict[str, Any]) -> None:
    """Each language has a short description (at most 150), a long one (150 to 10000) and features."""
    description = publiccode["description"]
    assert set(description) == {"nl", "en"}
    for language, text in description.items():
        assert len(text["shortDescription"]) <= 150, language
        assert 150 <= len(text["longDescription"]) <= 10000, language
        assert text["features"], language


def test_publiccode_names_pyprojects_licence_and_version(
    publiccode: dict[str, Any], project: dict[str, Any]
) -> None:
    """legal.license is pyproject's SPDX licence, softwareVersion its version, releaseDate a date."""
    assert publiccode["legal"]["license"] == project["license"] == "EUPL-1.2"
    assert publiccode["softwareVersion"] == project["version"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", publiccode["releaseDate"])


def test_publiccode_has_maintenance_and_localisation(publiccode: dict[str, Any]) -> None:
    """Internal maintenance names a contact; localisation says Dutch and is ready for more languages."""
    maintenance = publiccode["maintenance"]
    assert maintenance["type"] in MAINTENANCE_TYPES
    if maintenance["type"] in {"internal", "community"}:
        assert [contact["name"] for contact in maintenance["contacts"]]
    localisation = publiccode["localisation"]
    assert localisation["localisationReady"] is True
    assert localisation["availableLanguages"] == ["nl"]
