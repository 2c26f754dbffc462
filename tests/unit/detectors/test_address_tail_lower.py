"""ADDRESS_TAIL_LOWER: an address in lower case (or a script without capitals) up to its
country or postcode; numbers in prose are left alone."""

import pytest

from detectors.patterns.address_tail_lower import ADDRESS_TAIL_LOWER
from tests.unit.detectors.conftest import found

CASES = [
    ('address:\n512 ulica kwiatowa 9 apt. 31 nowa wieś wielka poland.', None,
     ['512 ulica kwiatowa 9 apt. 31 nowa wieś wielka poland']),
    ('meet me at 2210 vuorikatu 6, évora, portugal', None, ['2210 vuorikatu 6, évora, portugal']),
    ('the same: 88 rua das flores 3 suite 40, győr, hungary 9021', None,
     ['88 rua das flores 3 suite 40, győr, hungary 9021']),
    ('user: 3021 οδός ερμού 14 apt. 27\nλευκωσία, le 2012', None,
     ['3021 οδός ερμού 14 apt. 27\nλευκωσία, le 2012']),
    ('77 camino real 12 apt. 5\nflémalle\n, lg\n belgium (fr) 4400', None,
     ['77 camino real 12 apt. 5\nflémalle\n, lg\n belgium (fr) 4400']),
    ('it is located at 412 88 harbour view\nport alfred\n, ec\n 6170. it serves', None,
     ['412 88 harbour view\nport alfred\n, ec\n 6170']),
    ('- 501 calle mayor 14\n- apt. 12\n- tarifa\n- spain 11380', None,
     ['501 calle mayor 14\n- apt. 12\n- tarifa\n- spain 11380']),
    # no country or postcode at the end, or no street or unit before it
    ('apt. 12 is on the second floor', None, []),
    ('we sold 12 units 40 of them in france', None, []),
    ('shipped 3 of 5 boxes to germany', None, []),
    ('version 2 build 14, released in france', None, []),
    ('Copyright 2009 2011 Example Products GmbH, Germany', None, []),
    ('Copyright: 2013 2017 Example Corp\n 2008 Other Foundation', None, []),
    ('run 12 took 30 seconds, tested on 2 cores in spain', None, []),
    # issue 14: European streets in lower case, their type first or ending their name, and a
    # postcode before the town
    ('calle del olmo 14, 28014 madrid, spain', None, ['calle del olmo 14, 28014 madrid, spain']),
    ('via garibaldi 8, 10122 torino, italy', None, ['via garibaldi 8, 10122 torino, italy']),
    ('lindenstraße 22, 04109 leipzig, germany', None, ['lindenstraße 22, 04109 leipzig, germany']),
    ('ul. kwiatowa 5, 30-001 kraków, poland', None, ['ul. kwiatowa 5, 30-001 kraków, poland']),
    ('hämeenkatu 9 b 4, 33100 tampere, finland', None, ['hämeenkatu 9 b 4, 33100 tampere, finland']),
    ('we are tiring 3 teams, finland 00100', None, []),
    ('sent via email 3 times, france', None, []),
    ('place 3 orders, germany', None, []),
]


@pytest.mark.parametrize(("text", "key", "expected"), CASES)
def test_reports_exactly_the_sensitive_values(text: str, key: str | None,
                                              expected: list[str]) -> None:
    assert found(ADDRESS_TAIL_LOWER, text, key) == expected
