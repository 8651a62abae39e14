"""A synthetic country: counties spread over the 31 provinces and their cities with
a realistic mix of sizes, for ``junheng sample --counties N`` and the national
benchmark (bench/bench_national.py).

Each province has about as many county-level units as the real one (2,843 in all);
they are grouped ten to a city. A county's code is ``PPCCNN`` (province, city, county
within the city), so ``region 35`` and ``region 3504`` find them as they would real
ones, and its schools' codes (``PPCCNN`` + 4 digits) are unique across the country.
School counts follow a log-normal mix — most counties have 30–150 schools and
教学点, a few districts several hundred — averaging ~84, i.e. ~240,000 for the
whole country. A fraction of the country takes every k-th county of that list, so
1 %, 5 % and 10 % are spread over all provinces and keep the same mix.
"""

from __future__ import annotations

import dataclasses
import math
import random
from dataclasses import dataclass

from junheng.core.facts import CountyData
from junheng.samples.county import generate_county

# Province code, name, county-level units (rounded from the 2023 divisions).
PROVINCES: tuple[tuple[str, str, int], ...] = (
    ("11", "北京市", 16), ("12", "天津市", 16), ("13", "河北省", 167), ("14", "山西省", 117),
    ("15", "内蒙古自治区", 103), ("21", "辽宁省", 100), ("22", "吉林省", 60), ("23", "黑龙江省", 121),
    ("31", "上海市", 16), ("32", "江苏省", 95), ("33", "浙江省", 90), ("34", "安徽省", 104),
    ("35", "福建省", 84), ("36", "江西省", 100), ("37", "山东省", 136), ("41", "河南省", 157),
    ("42", "湖北省", 103), ("43", "湖南省", 122), ("44", "广东省", 122), ("45", "广西壮族自治区", 111),
    ("46", "海南省", 25), ("50", "重庆市", 38), ("51", "四川省", 183), ("52", "贵州省", 88),
    ("53", "云南省", 129), ("54", "西藏自治区", 74), ("61", "陕西省", 107), ("62", "甘肃省", 86),
    ("63", "青海省", 44), ("64", "宁夏回族自治区", 22), ("65", "新疆维吾尔自治区", 106),
)
COUNTIES_PER_CITY = 10
SCHOOLS_MEDIAN = 64
SCHOOLS_SIGMA = 0.75
SCHOOLS_RANGE = (3, 1200)


@dataclass(frozen=True, slots=True)
class CountyPlace:
    code: str
    name: str
    city: str
    province: str
    schools: int


def country(seed: int = 2025) -> list[CountyPlace]:
    """Every county of the synthetic country, in code order."""
    rng = random.Random(f"junheng-country:{seed}")
    out = []
    for pcode, pname, n in PROVINCES:
        short = pname.removesuffix("省").removesuffix("市")[:2]
        for k in range(n):
            city, within = divmod(k, COUNTIES_PER_CITY)
            code = f"{pcode}{city + 1:02d}{within + 1:02d}"
            schools = round(rng.lognormvariate(math.log(SCHOOLS_MEDIAN), SCHOOLS_SIGMA))
            schools = min(max(schools, SCHOOLS_RANGE[0]), SCHOOLS_RANGE[1])
            out.append(CountyPlace(code, f"{short}{city + 1}市{within + 1}县", f"{short}第{city + 1}市",
                                   pname, schools))
    return out


def country_share(share: float, seed: int = 2025) -> list[CountyPlace]:
    """About ``share`` (0–1] of the country's counties, every k-th, spread over every
    province."""
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1]")
    everything = country(seed)
    wanted = max(1, round(len(everything) * share))
    step = len(everything) / wanted
    return [everything[int(i * step)] for i in range(wanted)]


def spread_counties(count: int, seed: int = 2025) -> list[CountyPlace]:
    """``count`` counties (at most the whole country) spread over the provinces."""
    everything = country(seed)
    if not 1 <= count <= len(everything):
        raise ValueError(f"count must be in 1..{len(everything)}")
    return country_share(count / len(everything), seed)[:count]


def county_data(place: CountyPlace, seed: int = 2025, school_year: int = 2025) -> CountyData:
    """The county's data, named and placed."""
    data = generate_county(schools=place.schools, seed=seed, county_code=place.code, school_year=school_year)
    data.county = dataclasses.replace(data.county, name=place.name, city=place.city, province=place.province)
    return data
