"""The shipped given-name lists: names of many countries from openly licensed sources, never
words of a calendar or a log line, and no data file under a licence the product cannot ship."""

from pathlib import Path

import pytest

from detectors.gazetteer import GIVEN_NAMES, is_given_name
from detectors.patterns.person_name import PERSON_FULL_NAME, PERSON_GIVEN_NAME
from tests.unit.detectors.conftest import found

DATA = Path(__file__).resolve().parents[3] / "detectors" / "data"


@pytest.mark.parametrize("name", ["Mikko", "Søren", "Sigrún", "Takumi", "Dmitrij", "Aurélien",
                                  "Kristjan", "Mateusz", "Yusuf", "Ramón", "Giorgos", "Taro"])
def test_given_names_of_other_countries_are_known(name: str) -> None:
    assert is_given_name(name)


def test_a_name_of_another_country_is_reported_with_its_surname() -> None:
    text = "The ticket was closed by Søren Vestergaard-Holm yesterday."
    assert found(PERSON_FULL_NAME, text) == ["Søren Vestergaard-Holm"]


@pytest.mark.parametrize("word", ["jun", "tue", "mar", "sun", "texas", "africa", "long", "main"])
def test_calendar_words_places_and_code_words_are_not_given_names(word: str) -> None:
    assert word not in GIVEN_NAMES


def test_a_log_line_with_a_month_and_a_weekday_reports_no_name() -> None:
    assert found(PERSON_GIVEN_NAME, "Tue Jun 03 2025 12:00:01 service started") == []


def test_no_data_file_is_under_a_copyleft_or_share_alike_licence() -> None:
    for path in DATA.iterdir():
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "GNU Free Documentation" not in text, path.name
        assert "ShareAlike" not in text and "CC BY-SA" not in text, path.name
