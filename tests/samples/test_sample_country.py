"""The synthetic country: counties spread over the 31 provinces and their cities, a
realistic size mix, codes unique across the country; ``junheng sample --counties``."""

from __future__ import annotations

import re
import statistics

import pytest

from junheng.intake import read_county_workbook
from junheng.samples.country import PROVINCES, country, country_share, county_data, spread_counties
from junheng.services.workbook import WorkbookRequestError, write_sample_counties


def test_the_whole_country():
    everything = country()
    assert len(everything) == sum(n for _, _, n in PROVINCES) == 2842
    assert len({c.code for c in everything}) == len(everything)
    assert all(re.fullmatch(r"\d{6}", c.code) and c.code[:2] in dict((p, n) for p, n, _ in PROVINCES)
               for c in everything)
    schools = [c.schools for c in everything]
    assert 230_000 <= sum(schools) <= 250_000  # ~240,000 schools and 教学点
    assert 50 <= statistics.median(schools) <= 80 and max(schools) >= 500 and min(schools) <= 10
    fujian = [c for c in everything if c.code.startswith("35")]
    assert len(fujian) == 84 and {c.province for c in fujian} == {"福建省"}
    assert len({c.code[:4] for c in fujian}) == 9  # ten counties to a city
    assert country() == everything  # the same seed gives the same country


@pytest.mark.parametrize(("share", "counties"), [(0.01, 28), (0.05, 142), (0.1, 284)])
def test_a_share_spreads_over_the_provinces(share, counties):
    part = country_share(share)
    assert len(part) == counties
    assert len({c.code[:2] for c in part}) >= (24 if share == 0.01 else 31)
    assert len({c.code for c in part}) == counties


def test_a_county_is_named_and_placed_and_its_codes_are_its_own():
    place = spread_counties(3)[1]
    data = county_data(place)
    assert (data.county.code, data.county.name, data.county.province) == (place.code, place.name, place.province)
    assert len(data.schools) == place.schools
    assert all(s.code.startswith(place.code) for s in data.schools)


def test_sample_counties_writes_valid_workbooks(tmp_path):
    done = write_sample_counties(tmp_path / "省", 2, jobs=1)
    assert [s.path.name[:6] for s in done] == [p.code for p in spread_counties(2)]
    for s in done:
        result = read_county_workbook(s.path)
        assert result.ok, [i.message for i in result.report.errors][:3]
        assert result.data.county.province
    with pytest.raises(WorkbookRequestError, match="县区数应在 1—2842 之间"):
        write_sample_counties(tmp_path / "x", 3000)
