"""Synthetic partnership registers of national scale, in the table format of PRODUCT.md §3.

:func:`generate_register` writes ``organizations.csv``, ``partnerships.csv``, ``flows.csv``,
``activities.csv`` and ``outcomes.csv`` (UTF-8, ``\\n`` line ends, headers with the PRODUCT.md
column names) and ``truth.json`` (the true mode counts and the parameters) into a folder.

The output is a pure function of the arguments: one ``random.Random(seed)`` drives every choice,
nothing depends on set order or the clock, so the same arguments give byte-identical files. Each
file is written to a temporary file in the same folder and moved into place with ``os.replace``
once everything is written. Partnerships, flows, activities and partnership outcomes are written
row by row while they are generated: only the organization lists are kept in memory, so memory
does not grow with the number of partnerships.

Proportions follow ``research/domain.md`` §3: the education side is split like the national
statistics (about 1,550 higher-vocational and 7,100 secondary-vocational schools, both
``vocational_college``; about 1,270 undergraduate ``university``; some ``college`` and
``research_institute``); the industry side is about 97 % ``enterprise`` and 3 %
``industry_association``; there is one ``government`` per 30 and one ``alliance`` per 50 colleges.

The mode of each partnership (PRODUCT.md §4) is chosen first, then flows and activities are
generated that make it so, counting the flows implied by activities: a unilateral partnership
only gets activity kinds whose implied flows run in its direction, a ``none`` partnership with
both sides only gets third-party or same-side flows and no activities. ``truth.json`` records the
resulting counts, so a classifier can be checked against them.

Size. Counting the triples a table loader asserts (one ``rdf:type`` per row plus one triple per
non-empty cell, one per participant), measured on the presets: 7.7 triples per partnership row,
8.0 per flow row, 6.2 per activity row, 7.0 per organization row and 7.0 per outcome row. There
are 1.45 flows and 0.82 activities per partnership, so a partnership brings about 25 triples,
plus its share of organizations and outcomes: about 32 triples per partnership at the preset
ratios, 27 at the national one. Flows implied by activities (about 2 per activity) and inferred
triples come on top. :attr:`GeneratedStats.triples` is the count for one register.

=========  ========  ===========  ============  =========  ===========  =======  ========
preset     colleges  enterprises  partnerships  rows       triples      size     CPU time
=========  ========  ===========  ============  =========  ===========  =======  ========
small      40        800          1,250         5,373      39,582       0.5 MB   0.05 s
medium     400       8,000        12,500        53,381     393,884      4.8 MB   0.5 s
large      4,000     80,000       125,000       535,723    3,955,229    48 MB    5 s
national   10,000    200,000      1,000,000     3,624,258  27,003,468   308 MB   38 s
=========  ========  ===========  ============  =========  ===========  =======  ========

Speed: about 100,000–120,000 rows/s of CPU time on a 2-core machine (Python 3.11); peak memory
of the national preset 135 MiB RSS, almost all of it the organization lists.

Examples
--------
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     stats = generate_register(pathlib.Path(d), colleges=20, enterprises=100, partnerships=50)
...     stats.rows["partnerships"]
50
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import IO, Any

from .tables import TABLES, columns

__all__ = ["COLUMNS", "PRESETS", "GeneratedStats", "generate_register"]

#: Column names of each table, as in PRODUCT.md §3 (the loader's own list).
COLUMNS: dict[str, tuple[str, ...]] = {table: tuple(columns(table)) for table in TABLES}

#: (colleges, enterprises, partnerships) for registers of about 40k, 400k, 4M and 30M triples.
PRESETS: dict[str, tuple[int, int, int]] = {
    "small": (40, 800, 1_250),
    "medium": (400, 8_000, 12_500),
    "large": (4_000, 80_000, 125_000),
    "national": (10_000, 200_000, 1_000_000),
}

# --- Reference data -------------------------------------------------------------------------

# (short name, province-level name, English name, weight ~ population and GDP, cities)
# cities: "汉字 Pinyin" for prefecture-level cities (full name 汉字 + 市); districts of the
# municipalities as "汉字 Pinyin 全称" (full name given)
_PROVINCES: tuple[tuple[str, str, str, float, tuple[str, ...]], ...] = (
    ("广东", "广东省", "Guangdong", 10.0, (
        "广州 Guangzhou", "深圳 Shenzhen", "佛山 Foshan", "东莞 Dongguan", "珠海 Zhuhai",
        "惠州 Huizhou", "中山 Zhongshan", "江门 Jiangmen", "汕头 Shantou", "湛江 Zhanjiang",
        "肇庆 Zhaoqing")),
    ("江苏", "江苏省", "Jiangsu", 9.0, (
        "南京 Nanjing", "苏州 Suzhou", "无锡 Wuxi", "常州 Changzhou", "南通 Nantong",
        "徐州 Xuzhou", "扬州 Yangzhou", "盐城 Yancheng", "泰州 Taizhou", "镇江 Zhenjiang",
        "淮安 Huai'an", "连云港 Lianyungang")),
    ("山东", "山东省", "Shandong", 8.0, (
        "济南 Jinan", "青岛 Qingdao", "烟台 Yantai", "潍坊 Weifang", "淄博 Zibo", "临沂 Linyi",
        "济宁 Jining", "威海 Weihai", "东营 Dongying", "德州 Dezhou")),
    ("浙江", "浙江省", "Zhejiang", 7.5, (
        "杭州 Hangzhou", "宁波 Ningbo", "温州 Wenzhou", "嘉兴 Jiaxing", "绍兴 Shaoxing",
        "金华 Jinhua", "台州 Taizhou", "湖州 Huzhou")),
    ("河南", "河南省", "Henan", 6.0, (
        "郑州 Zhengzhou", "洛阳 Luoyang", "新乡 Xinxiang", "南阳 Nanyang", "许昌 Xuchang",
        "开封 Kaifeng", "安阳 Anyang")),
    ("四川", "四川省", "Sichuan", 5.0, (
        "成都 Chengdu", "绵阳 Mianyang", "宜宾 Yibin", "德阳 Deyang", "泸州 Luzhou",
        "南充 Nanchong")),
    ("湖北", "湖北省", "Hubei", 4.5, (
        "武汉 Wuhan", "襄阳 Xiangyang", "宜昌 Yichang", "荆州 Jingzhou", "十堰 Shiyan")),
    ("湖南", "湖南省", "Hunan", 4.5, (
        "长沙 Changsha", "株洲 Zhuzhou", "湘潭 Xiangtan", "衡阳 Hengyang", "岳阳 Yueyang",
        "常德 Changde")),
    ("河北", "河北省", "Hebei", 4.5, (
        "石家庄 Shijiazhuang", "唐山 Tangshan", "保定 Baoding", "邯郸 Handan", "沧州 Cangzhou",
        "廊坊 Langfang")),
    ("福建", "福建省", "Fujian", 4.0, (
        "福州 Fuzhou", "厦门 Xiamen", "泉州 Quanzhou", "漳州 Zhangzhou", "莆田 Putian")),
    ("安徽", "安徽省", "Anhui", 4.0, (
        "合肥 Hefei", "芜湖 Wuhu", "蚌埠 Bengbu", "安庆 Anqing", "马鞍山 Ma'anshan")),
    ("上海", "上海市", "Shanghai", 3.5, (
        "上海 Shanghai", "上海浦东 Shanghai_Pudong 上海市浦东新区",
        "上海闵行 Shanghai_Minhang 上海市闵行区", "上海嘉定 Shanghai_Jiading 上海市嘉定区",
        "上海松江 Shanghai_Songjiang 上海市松江区")),
    ("北京", "北京市", "Beijing", 3.5, (
        "北京 Beijing", "北京海淀 Beijing_Haidian 北京市海淀区",
        "北京朝阳 Beijing_Chaoyang 北京市朝阳区", "北京大兴 Beijing_Daxing 北京市大兴区",
        "北京昌平 Beijing_Changping 北京市昌平区")),
    ("陕西", "陕西省", "Shaanxi", 3.0, (
        "西安 Xi'an", "宝鸡 Baoji", "咸阳 Xianyang", "榆林 Yulin", "渭南 Weinan")),
    ("江西", "江西省", "Jiangxi", 2.8, (
        "南昌 Nanchang", "赣州 Ganzhou", "九江 Jiujiang", "上饶 Shangrao", "宜春 Yichun")),
    ("重庆", "重庆市", "Chongqing", 2.8, (
        "重庆 Chongqing", "重庆渝北 Chongqing_Yubei 重庆市渝北区",
        "重庆万州 Chongqing_Wanzhou 重庆市万州区", "重庆涪陵 Chongqing_Fuling 重庆市涪陵区",
        "重庆永川 Chongqing_Yongchuan 重庆市永川区")),
    ("辽宁", "辽宁省", "Liaoning", 2.8, (
        "沈阳 Shenyang", "大连 Dalian", "鞍山 Anshan", "锦州 Jinzhou", "营口 Yingkou")),
    ("广西", "广西壮族自治区", "Guangxi", 2.6, (
        "南宁 Nanning", "柳州 Liuzhou", "桂林 Guilin", "玉林 Yulin", "北海 Beihai")),
    ("云南", "云南省", "Yunnan", 2.5, (
        "昆明 Kunming", "曲靖 Qujing", "玉溪 Yuxi", "昭通 Zhaotong")),
    ("山西", "山西省", "Shanxi", 2.2, (
        "太原 Taiyuan", "大同 Datong", "长治 Changzhi", "晋中 Jinzhong", "运城 Yuncheng")),
    ("贵州", "贵州省", "Guizhou", 2.1, (
        "贵阳 Guiyang", "遵义 Zunyi", "六盘水 Liupanshui", "安顺 Anshun")),
    ("天津", "天津市", "Tianjin", 1.8, (
        "天津 Tianjin", "天津滨海 Tianjin_Binhai 天津市滨海新区",
        "天津西青 Tianjin_Xiqing 天津市西青区", "天津武清 Tianjin_Wuqing 天津市武清区")),
    ("内蒙古", "内蒙古自治区", "Inner Mongolia", 1.8, (
        "呼和浩特 Hohhot", "包头 Baotou", "鄂尔多斯 Ordos", "赤峰 Chifeng")),
    ("黑龙江", "黑龙江省", "Heilongjiang", 1.8, (
        "哈尔滨 Harbin", "大庆 Daqing", "齐齐哈尔 Qiqihar", "牡丹江 Mudanjiang")),
    ("新疆", "新疆维吾尔自治区", "Xinjiang", 1.6, (
        "乌鲁木齐 Urumqi", "克拉玛依 Karamay", "哈密 Hami")),
    ("吉林", "吉林省", "Jilin", 1.4, ("长春 Changchun", "吉林 Jilin", "四平 Siping")),
    ("甘肃", "甘肃省", "Gansu", 1.2, ("兰州 Lanzhou", "天水 Tianshui", "酒泉 Jiuquan")),
    ("海南", "海南省", "Hainan", 0.8, ("海口 Haikou", "三亚 Sanya")),
    ("宁夏", "宁夏回族自治区", "Ningxia", 0.5, ("银川 Yinchuan", "石嘴山 Shizuishan")),
    ("青海", "青海省", "Qinghai", 0.4, ("西宁 Xining", "海东 Haidong")),
    ("西藏", "西藏自治区", "Tibet", 0.3, ("拉萨 Lhasa", "日喀则 Shigatse")),
)

# (Chinese, English, weight, enterprise name suffix zh, en)
_INDUSTRIES: tuple[tuple[str, str, float, str, str], ...] = (
    ("智能制造", "Intelligent Manufacturing", 12, "智能装备有限公司",
     "Intelligent Equipment Co., Ltd."),
    ("新能源汽车", "New Energy Vehicles", 8, "汽车科技有限公司", "Automotive Technology Co., Ltd."),
    ("电子信息", "Electronic Information", 10, "电子有限公司", "Electronics Co., Ltd."),
    ("集成电路", "Integrated Circuits", 4, "微电子有限公司", "Microelectronics Co., Ltd."),
    ("人工智能", "Artificial Intelligence", 5, "智能科技有限公司",
     "Intelligent Technology Co., Ltd."),
    ("软件和信息技术服务", "Software and IT Services", 9, "信息技术有限公司",
     "Information Technology Co., Ltd."),
    ("生物医药", "Biomedicine", 6, "生物医药有限公司", "Biopharmaceutical Co., Ltd."),
    ("新材料", "New Materials", 6, "新材料有限公司", "New Materials Co., Ltd."),
    ("新能源", "New Energy", 5, "新能源有限公司", "New Energy Co., Ltd."),
    ("现代农业", "Modern Agriculture", 6, "农业发展有限公司", "Agricultural Development Co., Ltd."),
    ("现代物流", "Modern Logistics", 6, "物流有限公司", "Logistics Co., Ltd."),
    ("轨道交通", "Rail Transit", 3, "轨道交通装备有限公司", "Rail Transit Equipment Co., Ltd."),
    ("航空航天", "Aerospace", 2, "航空科技有限公司", "Aviation Technology Co., Ltd."),
    ("建筑工程", "Construction Engineering", 7, "建设工程有限公司",
     "Construction Engineering Co., Ltd."),
    ("健康养老", "Health and Elderly Care", 5, "健康产业有限公司", "Health Industry Co., Ltd."),
    ("文化旅游", "Culture and Tourism", 4, "文化旅游有限公司", "Culture and Tourism Co., Ltd."),
)

_WORDS: tuple[tuple[str, str], ...] = (
    ("华信", "Huaxin"), ("智造", "Zhizao"), ("新材", "Xincai"), ("恒通", "Hengtong"),
    ("瑞达", "Ruida"), ("科瑞", "Kerui"), ("鼎盛", "Dingsheng"), ("宏远", "Hongyuan"),
    ("天成", "Tiancheng"), ("金石", "Jinshi"), ("中科", "Zhongke"), ("远景", "Yuanjing"),
    ("博创", "Bochuang"), ("联创", "Lianchuang"), ("汇智", "Huizhi"), ("星河", "Xinghe"),
    ("东方", "Dongfang"), ("海润", "Hairun"), ("蓝海", "Lanhai"), ("启明", "Qiming"),
    ("精工", "Jinggong"), ("宇航", "Yuhang"), ("长风", "Changfeng"), ("正泰", "Zhengtai"),
    ("信达", "Xinda"), ("安泰", "Antai"), ("明德", "Mingde"), ("嘉禾", "Jiahe"),
    ("永盛", "Yongsheng"), ("润华", "Runhua"), ("凯达", "Kaida"), ("晨光", "Chenguang"),
    ("新源", "Xinyuan"), ("同创", "Tongchuang"), ("云帆", "Yunfan"), ("北辰", "Beichen"),
    ("天工", "Tiangong"), ("和信", "Hexin"), ("卓越", "Zhuoyue"), ("聚能", "Juneng"),
)

# fields of study in college names: (Chinese, English, industries a college of that field serves)
_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("工业", "Industrial", ("智能制造", "新材料", "航空航天")),
    ("信息", "Information", ("软件和信息技术服务", "人工智能", "电子信息")),
    ("交通", "Transport", ("轨道交通", "新能源汽车", "现代物流", "航空航天")),
    ("农业", "Agricultural", ("现代农业",)),
    ("机电", "Mechanical and Electrical", ("智能制造", "新能源汽车", "轨道交通")),
    ("经贸", "Economics and Trade", ("现代物流", "文化旅游")),
    ("医药", "Medical", ("生物医药", "健康养老")),
    ("建筑", "Construction", ("建筑工程",)),
    ("旅游", "Tourism", ("文化旅游",)),
    ("财经", "Finance and Economics", ("现代物流", "软件和信息技术服务")),
    ("电子", "Electronics", ("电子信息", "集成电路")),
    ("轻工", "Light Industry", ("新材料", "文化旅游")),
    ("化工", "Chemical Engineering", ("新材料", "新能源", "生物医药")),
    ("科技", "Science and Technology", ("人工智能", "集成电路", "新能源", "航空航天")),
    ("能源", "Energy", ("新能源", "新能源汽车")),
    ("卫生", "Health", ("健康养老", "生物医药")),
)
_FIELDS_BY_INDUSTRY: dict[str, tuple[tuple[str, str], ...]] = {
    industry[0]: tuple((zh, en) for zh, en, served in _FIELDS if industry[0] in served)
    for industry in _INDUSTRIES
}

_CN_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
               "十四", "十五", "十六", "十七", "十八", "十九", "二十")
_SECONDARY_SUFFIXES = (("中等专业学校", "Secondary Vocational School"),
                       ("职业学校", "Vocational School"),
                       ("职业技术学校", "Vocational and Technical School"))
_ASSOCIATION_SUFFIXES = (("行业协会", "Industry Association"),
                         ("产业协会", "Industrial Association"),
                         ("企业联合会", "Enterprise Federation"),
                         ("商会", "Chamber of Commerce"),
                         ("产业促进会", "Industry Promotion Association"))

_GOV_BODIES: tuple[tuple[str, str], ...] = (
    ("教育局", "Municipal Education Bureau"),
    ("人力资源和社会保障局", "Municipal Human Resources and Social Security Bureau"),
    ("发展和改革委员会", "Municipal Development and Reform Commission"),
    ("工业和信息化局", "Municipal Bureau of Industry and Information Technology"),
)

# education-side types and their national counts (domain.md §3): higher plus secondary
# vocational schools, undergraduate universities, other colleges, research institutes
_EDUCATION_MIX: tuple[tuple[str, int], ...] = (
    ("vocational_college", 8_650), ("university", 1_270),
    ("college", 250), ("research_institute", 330),
)
_HIGHER_VOCATIONAL_SHARE = 1_550 / 8_650
_ASSOCIATION_SHARE = 0.03
_COLLEGES_PER_GOVERNMENT = 30
_COLLEGES_PER_ALLIANCE = 50

_SIDE = {
    "enterprise": "industry", "industry_association": "industry",
    "college": "education", "vocational_college": "education",
    "university": "education", "research_institute": "education",
    "government": "third", "alliance": "third",
}

# activity kinds by the directions of their implied flows (PRODUCT.md §4), with weights
_BOTH_WAYS_KINDS = (("internship", 25), ("recruitment", 14), ("joint_curriculum", 15),
                    ("joint_research", 12), ("order_class", 12), ("apprenticeship", 10))
_TO_EDUCATION_KINDS = (("training_base", 3), ("donation", 2))
_TO_INDUSTRY_KINDS = (("tech_transfer", 2), ("employee_training", 3))
_LEARNING_KINDS = frozenset({"internship", "apprenticeship", "order_class"})

# explicit flow resources by (provider side, recipient side)
_RESOURCES: dict[tuple[str, str], tuple[tuple[str, int], ...]] = {
    ("industry", "education"): (("funds", 30), ("equipment", 20), ("venue", 15),
                                ("jobs", 15), ("teachers", 10), ("information", 10)),
    ("education", "industry"): (("talent", 35), ("technology", 25), ("training", 20),
                                ("curriculum", 10), ("information", 10)),
    ("third", "education"): (("funds", 3), ("venue", 1), ("information", 1)),
    ("third", "industry"): (("funds", 2), ("information", 2)),
    ("education", "third"): (("information", 2), ("talent", 1)),
    ("industry", "third"): (("funds", 1), ("information", 2)),
    ("industry", "industry"): (("technology", 2), ("equipment", 1), ("information", 1)),
    ("education", "education"): (("teachers", 2), ("curriculum", 2), ("training", 1)),
}

# resource → (amount range in CNY, quantity range) ; None where the column stays empty
_MEASURES: dict[str, tuple[tuple[float, float] | None, tuple[int, int] | None]] = {
    "funds": ((50_000, 5_000_000), None),
    "equipment": ((20_000, 3_000_000), (1, 50)),
    "technology": ((10_000, 2_000_000), None),
    "venue": (None, (100, 5_000)),
    "talent": (None, (1, 300)),
    "jobs": (None, (1, 200)),
    "teachers": (None, (1, 30)),
    "training": ((5_000, 500_000), (10, 500)),
    "curriculum": (None, (1, 20)),
    "information": (None, None),
}

# outcome indicators: code → (unit, low, high, integer values)
_INDICATORS: dict[str, tuple[str, float, float, bool]] = {
    "employment_rate": ("%", 82.0, 99.5, False),
    "matched_employment_rate": ("%", 50.0, 92.0, False),
    "enterprise_investment": ("CNY", 100_000.0, 20_000_000.0, False),
    "students_trained": ("persons", 200, 20_000, True),
    "interns_hosted": ("persons", 5, 600, True),
    "patents": ("items", 0, 120, True),
    "joint_projects": ("items", 1, 80, True),
    "teachers_from_enterprises": ("persons", 2, 150, True),
}
_INDICATORS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "vocational_college": ("employment_rate", "matched_employment_rate", "students_trained",
                           "interns_hosted", "teachers_from_enterprises", "enterprise_investment"),
    "college": ("employment_rate", "matched_employment_rate", "students_trained",
                "teachers_from_enterprises"),
    "university": ("employment_rate", "matched_employment_rate", "patents", "joint_projects",
                   "enterprise_investment"),
    "research_institute": ("patents", "joint_projects", "enterprise_investment"),
}
_PARTNERSHIP_INDICATORS = ("interns_hosted", "joint_projects", "enterprise_investment")
_OUTCOME_YEARS = (2022, 2023, 2024)

_FIRST_DAY = date(2019, 1, 1).toordinal()
_LAST_START = date(2024, 12, 31).toordinal()
_LAST_DAY = date(2025, 12, 31).toordinal()

_NONE_SHARE = 0.05
_TO_EDUCATION_SHARE = 0.7
_DECLARED_EMPTY_SHARE = 0.3
_PROGRESS_EVERY = 10_000
_FILE_MODE = 0o644  # mkstemp makes 0600; the tables are ordinary data files


# --- Public types ---------------------------------------------------------------------------


@dataclass
class GeneratedStats:
    """What :func:`generate_register` wrote.

    Attributes
    ----------
    out_dir : Path
        The folder holding the files.
    rows : dict[str, int]
        Data rows per table (``organizations``, ``partnerships``, ``flows``, ``activities``,
        ``outcomes``).
    triples : int
        Triples a table loader asserts: one ``rdf:type`` per row plus one per non-empty cell
        (one per participant). Implied flows and inferred triples come on top.
    truth : dict[str, Any]
        The content of ``truth.json``.
    """

    out_dir: Path
    rows: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    truth: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        """One line for people, e.g. ``1,250 partnerships, 1,829 flows, …, 40,210 triples``."""
        counts = ", ".join(f"{n:,} {table}" for table, n in self.rows.items())
        return f"{counts}, about {self.triples:,} triples"


# --- Organizations --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Org:
    id: str
    type: str
    region: str
    name_zh: str

    @property
    def side(self) -> str:
        return _SIDE[self.type]


@dataclass
class _Orgs:
    industry: list[_Org]
    industry_cum: list[float]
    education: list[_Org]
    education_by_region: dict[str, list[_Org]]
    governments: list[_Org]
    alliances: list[_Org]


@dataclass(frozen=True)
class _Place:
    short: str
    province_zh: str
    province_en: str
    city_zh: str
    city_en: str
    city_full: str


class _Namer:
    """Draws names and keeps them unique (a numeric suffix when draws keep colliding)."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self._province_cum = list(accumulate(p[3] for p in _PROVINCES))
        self._industry_cum = list(accumulate(i[2] for i in _INDUSTRIES))

    def place(self) -> _Place:
        short, full, en, _, cities = _pick_cum(self.rng, _PROVINCES, self._province_cum)
        city_zh, city_en, *city_full = self.rng.choice(cities).split(" ")
        return _Place(short, full, en, city_zh, city_en.replace("_", " "),
                      city_full[0] if city_full else city_zh + "市")

    def industry(self) -> tuple[str, str, float, str, str]:
        return _pick_cum(self.rng, _INDUSTRIES, self._industry_cum)

    def unique(self, draw: Callable[[], tuple[str, str]]) -> tuple[str, str]:
        """Call ``draw`` until it gives an unused Chinese name; number it after 20 tries."""
        for _ in range(20):
            zh, en = draw()
            if zh not in self.used:
                self.used.add(zh)
                return zh, en
        n = 2
        while f"{zh}（{n}）" in self.used:
            n += 1
        self.used.add(f"{zh}（{n}）")
        return f"{zh}（{n}）", f"{en} ({n})"


def _pick_cum(rng: Random, items: Sequence[Any], cum: list[float]) -> Any:
    return items[bisect_left(cum, rng.random() * cum[-1])]


def _pick_weighted(rng: Random, pairs: Sequence[tuple[str, int]]) -> str:
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for value, weight in pairs:
        r -= weight
        if r < 0:
            return value
    return pairs[-1][0]


def _enterprise_name(namer: _Namer, place: _Place, industry: tuple[Any, ...]) -> tuple[str, str]:
    rng = namer.rng

    def draw() -> tuple[str, str]:
        (w1, e1), (w2, e2) = rng.sample(_WORDS, 2)
        if rng.random() < 0.2:
            suffix_zh, suffix_en = rng.choice(
                (("科技有限公司", "Technology Co., Ltd."), ("集团有限公司", "Group Co., Ltd.")))
        else:
            suffix_zh, suffix_en = industry[3], industry[4]
        return (f"{place.city_zh}{w1}{w2}{suffix_zh}",
                f"{place.city_en} {e1} {e2} {suffix_en}")

    return namer.unique(draw)


def _association_name(namer: _Namer, place: _Place, industry: tuple[Any, ...]) -> tuple[str, str]:
    def draw() -> tuple[str, str]:
        suffix_zh, suffix_en = namer.rng.choice(_ASSOCIATION_SUFFIXES)
        if namer.rng.random() < 0.3:
            return (f"{place.province_zh}{industry[0]}{suffix_zh}",
                    f"{place.province_en} {industry[1]} {suffix_en}")
        return (f"{place.city_full}{industry[0]}{suffix_zh}",
                f"{place.city_en} {industry[1]} {suffix_en}")

    return namer.unique(draw)


def _education_name(namer: _Namer, place: _Place, kind: str,
                    industry: tuple[Any, ...]) -> tuple[str, str]:
    rng = namer.rng

    def draw() -> tuple[str, str]:
        fz, fe = rng.choice(_FIELDS_BY_INDUSTRY[industry[0]])
        wz, we = rng.choice(_WORDS)
        if kind == "higher_vocational":
            r = rng.random()
            if r < 0.4:
                return (f"{place.city_zh}{fz}职业技术学院",
                        f"{place.city_en} {fe} Vocational and Technical College")
            if r < 0.6:
                return f"{place.city_zh}{fz}职业学院", f"{place.city_en} {fe} Polytechnic"
            return (f"{place.city_zh}{wz}职业学院", f"{place.city_en} {we} Vocational College")
        if kind == "secondary_vocational":
            r = rng.random()
            if r < 0.3:
                i = rng.randrange(len(_CN_NUMBERS))
                return (f"{place.city_full}第{_CN_NUMBERS[i]}职业高级中学",
                        f"{place.city_en} No. {i + 1} Vocational High School")
            suffix_zh, suffix_en = rng.choice(_SECONDARY_SUFFIXES)
            if r < 0.65:
                return f"{place.city_full}{fz}{suffix_zh}", f"{place.city_en} {fe} {suffix_en}"
            return f"{place.city_zh}{wz}{suffix_zh}", f"{place.city_en} {we} {suffix_en}"
        if kind == "university":
            if rng.random() < 0.5:
                return f"{place.city_zh}{fz}大学", f"{place.city_en} {fe} University"
            return f"{place.short}{wz}大学", f"{place.province_en} {we} University"
        if kind == "college":
            return (f"{place.city_zh}{wz}{fz}学院", f"{place.city_en} {we} {fe} College")
        if rng.random() < 0.5:
            return (f"{place.province_zh}{industry[0]}研究院",
                    f"{place.province_en} Institute of {industry[1]}")
        return (f"{place.city_full}{wz}{industry[0]}研究院",
                f"{place.city_en} {we} Institute of {industry[1]}")

    return namer.unique(draw)


def _government_name(namer: _Namer, place: _Place) -> tuple[str, str]:
    def draw() -> tuple[str, str]:
        if namer.rng.random() < 0.25:
            return f"{place.province_zh}教育厅", f"{place.province_en} Department of Education"
        body_zh, body_en = namer.rng.choice(_GOV_BODIES)
        return f"{place.city_full}{body_zh}", f"{place.city_en} {body_en}"

    return namer.unique(draw)


def _alliance_name(namer: _Namer, place: _Place, industry: tuple[Any, ...]) -> tuple[str, str]:
    def draw() -> tuple[str, str]:
        r = namer.rng.random()
        if r < 0.4:
            area = place.city_full + ("域" if place.city_full.endswith("市") else "")
            return (f"{area}产教联合体",
                    f"{place.city_en} Municipal Industry-Education Consortium")
        if r < 0.8:
            return (f"{place.province_zh}{industry[0]}职业教育集团",
                    f"{place.province_en} {industry[1]} Vocational Education Group")
        return (f"全国{industry[0]}行业产教融合共同体",
                f"National {industry[1]} Industry-Education Community")

    return namer.unique(draw)


def _apportion(total: int, mix: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Split ``total`` by the weights of ``mix`` (largest remainder, ties in mix order)."""
    weight = sum(w for _, w in mix)
    exact = [(code, total * w / weight) for code, w in mix]
    counts = {code: math.floor(x) for code, x in exact}
    rest = total - sum(counts.values())
    by_remainder = sorted(range(len(exact)), key=lambda i: -(exact[i][1] % 1))
    for i in by_remainder[:rest]:
        counts[exact[i][0]] += 1
    return [(code, counts[code]) for code, _ in mix]


def _shuffled_types(rng: Random, counts: Sequence[tuple[str, int]]) -> list[str]:
    types = [code for code, n in counts for _ in range(n)]
    rng.shuffle(types)
    return types


class _Table:
    """A CSV table written to a temporary file in the target folder, counted as it goes."""

    def __init__(self, out_dir: Path, name: str) -> None:
        self.name = name
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
        self.tmp = Path(tmp)
        os.chmod(fd, _FILE_MODE)
        self.file: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline="", buffering=1 << 20)
        self.writer = csv.writer(self.file, lineterminator="\n")
        self.writer.writerow(COLUMNS[name])
        self.rows = 0
        self.triples = 0

    def write(self, row: Sequence[str]) -> None:
        self.writer.writerow(row)
        self.rows += 1
        self.triples += 1 + sum(1 for value in row if value)


def _build_organizations(rng: Random, colleges: int, enterprises: int, table: _Table) -> _Orgs:
    """Draw all organizations, write them, and keep the lists partnerships draw from."""
    namer = _Namer(rng)
    orgs = _Orgs([], [], [], {}, [], [])
    edu_counts = _apportion(colleges, _EDUCATION_MIX)
    for i, kind in enumerate(_shuffled_types(rng, edu_counts), 1):
        place, industry = namer.place(), namer.industry()
        if kind == "vocational_college":
            level = ("higher_vocational" if rng.random() < _HIGHER_VOCATIONAL_SHARE
                     else "secondary_vocational")
        else:
            level = kind
        zh, en = _education_name(namer, place, level, industry)
        org = _write_org(table, f"C{i:06d}", en, zh, kind, industry[0], place.short)
        orgs.education.append(org)
        orgs.education_by_region.setdefault(place.short, []).append(org)
    associations = round(enterprises * _ASSOCIATION_SHARE)
    ind_counts = (("enterprise", enterprises - associations),
                  ("industry_association", associations))
    weights = []
    for i, kind in enumerate(_shuffled_types(rng, ind_counts), 1):
        place, industry = namer.place(), namer.industry()
        if kind == "enterprise":
            zh, en = _enterprise_name(namer, place, industry)
        else:
            zh, en = _association_name(namer, place, industry)
        orgs.industry.append(
            _write_org(table, f"E{i:06d}", en, zh, kind, industry[0], place.short))
        weights.append(rng.lognormvariate(0.0, 1.0))
    orgs.industry_cum = list(accumulate(weights))
    for i in range(1, math.ceil(colleges / _COLLEGES_PER_GOVERNMENT) + 1):
        place = namer.place()
        zh, en = _government_name(namer, place)
        orgs.governments.append(_write_org(table, f"G{i:05d}", en, zh, "government", "",
                                           place.short))
    for i in range(1, math.ceil(colleges / _COLLEGES_PER_ALLIANCE) + 1):
        place, industry = namer.place(), namer.industry()
        zh, en = _alliance_name(namer, place, industry)
        orgs.alliances.append(_write_org(table, f"A{i:05d}", en, zh, "alliance", industry[0],
                                         place.short))
    return orgs


def _write_org(table: _Table, oid: str, name: str, name_zh: str, kind: str, industry: str,
               region: str) -> _Org:
    table.write((oid, name, name_zh, kind, industry, region))
    return _Org(oid, kind, region, name_zh)


def _college_outcomes(rng: Random, orgs: _Orgs, out: _OutcomeWriter) -> None:
    """A few indicator values per education-side organization and year."""
    for org in orgs.education:
        codes = _INDICATORS_BY_TYPE[org.type]
        chosen = sorted(rng.sample(range(len(codes)), min(3, len(codes))))
        for index in chosen:
            base = rng.random()
            for year in _OUTCOME_YEARS:
                level = min(1.0, max(0.0, base + rng.uniform(-0.05, 0.08)))
                out.write(org.id, codes[index], level, year)


class _OutcomeWriter:
    def __init__(self, table: _Table) -> None:
        self.table = table

    def write(self, subject: str, code: str, level: float, year: int) -> None:
        """Write one value at ``level`` (0–1) of the indicator's range."""
        unit, low, high, integer = _INDICATORS[code]
        value = low + level * (high - low)
        text = str(round(value)) if integer else f"{value:.2f}"
        self.table.write((f"O{self.table.rows + 1:08d}", subject, code, text, unit, str(year)))


# --- Partnerships ---------------------------------------------------------------------------


@dataclass
class _Counts:
    """The known answers, counted while partnerships are generated."""

    modes: dict[str, int] = field(
        default_factory=lambda: {"two_way": 0, "unilateral": 0, "none": 0})
    directions: dict[str, int] = field(
        default_factory=lambda: {"industry_to_education": 0, "education_to_industry": 0})
    declared: dict[str, int] = field(
        default_factory=lambda: {"two_way": 0, "unilateral": 0, "empty": 0})
    patterns: dict[str, int] = field(default_factory=lambda: {
        "integration_of_production_and_education": 0, "school_enterprise_cooperation": 0,
        "industry_university_cooperation": 0, "work_integrated_learning": 0})
    mismatches: int = 0


@dataclass
class _Plan:
    """Participants, explicit flows (provider, recipient, resource) and activity kinds."""

    parts: list[_Org]
    flows: list[tuple[_Org, _Org, str]] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


_PROGRAMS = ("校企合作协议", "产教融合项目", "现代学徒制试点", "订单班合作", "共建实训基地",
             "共建产业学院", "战略合作协议")
_ALL_KINDS = _BOTH_WAYS_KINDS + _TO_EDUCATION_KINDS + _TO_INDUSTRY_KINDS
_STUDENT_KINDS = frozenset({"internship", "apprenticeship", "order_class", "recruitment",
                            "training_base", "joint_curriculum"})


class _PartnershipWriter:
    def __init__(self, rng: Random, orgs: _Orgs, tables: dict[str, _Table],
                 outcomes: _OutcomeWriter, two_way_share: float, mismatch_share: float) -> None:
        self.rng = rng
        self.orgs = orgs
        self.tables = tables
        self.outcomes = outcomes
        self.two_way_share = two_way_share
        self.none_share = min(_NONE_SHARE, 1.0 - two_way_share)
        self.mismatch_share = mismatch_share
        self.counts = _Counts()
        self.participant_triples = 0

    # choosing -----------------------------------------------------------------------------

    def mode(self) -> tuple[str, str]:
        r = self.rng.random()
        if r < self.two_way_share:
            return "two_way", ""
        if r < self.two_way_share + self.none_share:
            return "none", ""
        if self.rng.random() < _TO_EDUCATION_SHARE:
            return "unilateral", "industry_to_education"
        return "unilateral", "education_to_industry"

    def industry_org(self) -> _Org:
        return _pick_cum(self.rng, self.orgs.industry, self.orgs.industry_cum)

    def education_org(self, region: str) -> _Org:
        local = self.orgs.education_by_region.get(region)
        if local and self.rng.random() < 0.7:
            return self.rng.choice(local)
        return self.rng.choice(self.orgs.education)

    def third_party(self) -> _Org:
        if self.rng.random() < 0.6:
            return self.rng.choice(self.orgs.governments)
        return self.rng.choice(self.orgs.alliances)

    def extra(self, first: _Org) -> _Org:
        r = self.rng.random()
        if r < 0.5:
            return self.third_party()
        if r < 0.75:
            return self.industry_org()
        return self.education_org(first.region)

    def participants(self, mode: str) -> list[_Org]:
        rng = self.rng
        if mode == "none" and rng.random() < 0.4:
            first = self.industry_org() if rng.random() < 0.5 else self.education_org("")
            second = (self.third_party() if rng.random() < 0.7
                      else self.industry_org() if first.side == "industry"
                      else self.education_org(first.region))
            parts = [first, second if second != first else self.orgs.governments[0]]
        else:
            first = self.industry_org()
            parts = [first, self.education_org(first.region)]
        r = rng.random()
        size = 2 if r < (0.5 if mode == "none" else 0.8) else 3 if r < 0.9 else 4
        while len(parts) < size:
            candidate = self.extra(first)
            if candidate in parts:
                break
            parts.append(candidate)
        return parts

    def plan(self, mode: str, direction: str) -> _Plan:
        rng = self.rng
        plan = _Plan(self.participants(mode))
        ind = [o for o in plan.parts if o.side == "industry"]
        edu = [o for o in plan.parts if o.side == "education"]

        def cross(to_education: bool) -> None:
            i, e = rng.choice(ind), rng.choice(edu)
            provider, recipient = (i, e) if to_education else (e, i)
            plan.flows.append(self.flow(provider, recipient))

        if mode == "two_way":
            self.two_way(plan, cross)
        elif mode == "unilateral":
            self.unilateral(plan, cross, direction == "industry_to_education")
        elif not (ind and edu):
            # one-sided: no activity can imply a cross-side flow
            for _ in range(rng.choice((0, 1, 1, 1, 2))):
                plan.kinds.append(_pick_weighted(rng, _ALL_KINDS))
        self.noise(plan, ind, edu)
        return plan

    def two_way(self, plan: _Plan, cross: Callable[[bool], None]) -> None:
        """Activities and flows with cross-side flows in both directions."""
        rng = self.rng
        r = rng.random()
        if r < 0.55:
            plan.kinds.append(_pick_weighted(rng, _BOTH_WAYS_KINDS))
            if rng.random() < 0.4:
                plan.kinds.append(_pick_weighted(rng, _ALL_KINDS))
        elif r < 0.8:
            to_education = rng.random() < 0.6
            pool = _TO_EDUCATION_KINDS if to_education else _TO_INDUSTRY_KINDS
            plan.kinds.append(_pick_weighted(rng, pool))
            cross(not to_education)
        else:
            cross(True)
            cross(False)
        if rng.random() < 0.6:
            for _ in range(rng.choice((1, 1, 2))):
                cross(rng.random() < 0.5)

    def unilateral(self, plan: _Plan, cross: Callable[[bool], None], to_education: bool) -> None:
        """Activities and flows with cross-side flows in one direction only."""
        rng = self.rng
        pool = _TO_EDUCATION_KINDS if to_education else _TO_INDUSTRY_KINDS
        r = rng.random()
        if r < 0.4 or r >= 0.75:
            plan.kinds.append(_pick_weighted(rng, pool))
        if r >= 0.4:
            cross(to_education)
        if rng.random() < 0.5:
            for _ in range(rng.choice((1, 1, 2))):
                cross(to_education)

    def noise(self, plan: _Plan, ind: list[_Org], edu: list[_Org]) -> None:
        """Third-party and same-side flows, which never decide the mode."""
        rng = self.rng
        third = [o for o in plan.parts if o.side == "third"]
        if third and ind + edu and rng.random() < 0.6:
            t, other = rng.choice(third), rng.choice(ind + edu)
            plan.flows.append(self.flow(t, other) if rng.random() < 0.7 else self.flow(other, t))
        for side in (ind, edu):
            if len(side) >= 2 and rng.random() < 0.5:
                provider, recipient = rng.sample(side, 2)
                plan.flows.append(self.flow(provider, recipient))

    def flow(self, provider: _Org, recipient: _Org) -> tuple[_Org, _Org, str]:
        pool = _RESOURCES[(provider.side, recipient.side)]
        return provider, recipient, _pick_weighted(self.rng, pool)

    def declared(self, mode: str) -> str:
        u = self.rng.random()
        if u < self.mismatch_share:
            if mode == "two_way":
                return "unilateral"
            if mode == "unilateral":
                return "two_way"
            return "two_way" if self.rng.random() < 0.7 else "unilateral"
        if u < self.mismatch_share + _DECLARED_EMPTY_SHARE or mode == "none":
            return ""
        return mode

    # writing ------------------------------------------------------------------------------

    def write(self, number: int) -> None:
        rng = self.rng
        mode, direction = self.mode()
        plan = self.plan(mode, direction)
        declared = self.declared(mode)
        pid = f"P{number:07d}"
        start = rng.randint(_FIRST_DAY, _LAST_START)
        end = min(start + rng.randint(365, 1_460), _LAST_DAY) if rng.random() < 0.85 else 0
        name = ""
        if rng.random() < 0.9:
            name = f"{plan.parts[0].name_zh}与{plan.parts[1].name_zh}{rng.choice(_PROGRAMS)}"
        self.tables["partnerships"].write(
            (pid, ";".join(o.id for o in plan.parts), name, _iso(start), _iso(end), declared))
        self.participant_triples += len(plan.parts) - 1
        last = end or _LAST_DAY
        for provider, recipient, resource in plan.flows:
            self.write_flow(pid, provider, recipient, resource, start, last)
        for kind in plan.kinds:
            self.write_activity(pid, kind, start, last)
        if rng.random() < 0.05:
            code = rng.choice(_PARTNERSHIP_INDICATORS)
            year = date.fromordinal(rng.randint(start, last)).year
            self.outcomes.write(pid, code, rng.random(), year)
        self.count(plan, mode, direction, declared)

    def write_flow(self, pid: str, provider: _Org, recipient: _Org, resource: str,
                   start: int, last: int) -> None:
        rng = self.rng
        money, quantity_range = _MEASURES[resource]
        amount = currency = quantity = ""
        if money and rng.random() < 0.9:
            low, high = money
            amount = f"{low * math.exp(rng.random() * math.log(high / low)):.2f}"
            currency = "CNY" if rng.random() < 0.5 else ""
        if quantity_range and rng.random() < 0.85:
            quantity = str(rng.randint(*quantity_range))
        when = _iso(rng.randint(start, last)) if rng.random() < 0.9 else ""
        table = self.tables["flows"]
        table.write((f"F{table.rows + 1:08d}", pid, provider.id, recipient.id, resource,
                     amount, currency, quantity, when))

    def write_activity(self, pid: str, kind: str, start: int, last: int) -> None:
        rng = self.rng
        begin = end = 0
        if rng.random() < 0.9:
            begin = rng.randint(start, last)
            end = rng.randint(begin, last) if rng.random() < 0.85 else 0
        count = ""
        if rng.random() < 0.8:
            if kind in _STUDENT_KINDS:
                count = str(rng.randint(5, 200))
            elif kind == "employee_training":
                count = str(rng.randint(10, 300))
        table = self.tables["activities"]
        table.write((f"AC{table.rows + 1:08d}", pid, kind, _iso(begin), _iso(end), count))

    def count(self, plan: _Plan, mode: str, direction: str, declared: str) -> None:
        counts = self.counts
        counts.modes[mode] += 1
        counts.declared[declared or "empty"] += 1
        counts.mismatches += bool(declared) and declared != mode
        patterns = counts.patterns
        if mode == "two_way":
            patterns["integration_of_production_and_education"] += 1
            if any(o.type in ("university", "research_institute") for o in plan.parts):
                patterns["industry_university_cooperation"] += 1
        elif mode == "unilateral":
            counts.directions[direction] += 1
            patterns["school_enterprise_cooperation"] += 1
        if any(kind in _LEARNING_KINDS for kind in plan.kinds):
            patterns["work_integrated_learning"] += 1


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat() if ordinal else ""


# --- Entry point ----------------------------------------------------------------------------


def generate_register(
    out_dir: Path,
    *,
    colleges: int,
    enterprises: int,
    partnerships: int,
    seed: int = 1,
    two_way_share: float = 0.5,
    mismatch_share: float = 0.1,
    progress: Callable[[int], None] | None = None,
) -> GeneratedStats:
    """Write a synthetic partnership register (five CSV tables and ``truth.json``) to ``out_dir``.

    Parameters
    ----------
    out_dir : Path
        Target folder, created if missing. Existing files of the same names are replaced.
    colleges : int
        Education-side organizations (split into vocational colleges, universities, colleges
        and research institutes like the national statistics); at least 1.
    enterprises : int
        Industry-side organizations (about 3 % industry associations); at least 1.
    partnerships : int
        Partnerships to write; at least 0.
    seed : int
        Seed of the one random generator; the same arguments give byte-identical files.
    two_way_share : float
        Expected share of two-way partnerships (0–1). Up to 5 % are ``none``, the rest
        unilateral (70 % industry → education).
    mismatch_share : float
        Expected share of partnerships whose declared mode differs from the true mode (0–0.7);
        30 % declare nothing.
    progress : callable, optional
        Called with the number of partnerships written since the previous call (every 10,000
        and once at the end), e.g. ``lambda n: bar.update(task, advance=n)``.

    Returns
    -------
    GeneratedStats
        Rows per table, asserted-triple count and the content of ``truth.json``.

    Raises
    ------
    ValueError
        When a count or share is out of range.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     s = generate_register(pathlib.Path(d), colleges=30, enterprises=200, partnerships=100)
    ...     sum(s.truth["modes"].values())
    100
    """
    _check_arguments(colleges, enterprises, partnerships, two_way_share, mismatch_share)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = Random(seed)
    tables = {name: _Table(out_dir, name) for name in COLUMNS}
    truth_tmp: Path | None = None
    try:
        orgs = _build_organizations(rng, colleges, enterprises, tables["organizations"])
        outcomes = _OutcomeWriter(tables["outcomes"])
        _college_outcomes(rng, orgs, outcomes)
        writer = _PartnershipWriter(rng, orgs, tables, outcomes, two_way_share, mismatch_share)
        for number in range(1, partnerships + 1):
            writer.write(number)
            if progress and number % _PROGRESS_EVERY == 0:
                progress(_PROGRESS_EVERY)
        if progress and partnerships % _PROGRESS_EVERY:
            progress(partnerships % _PROGRESS_EVERY)
        for table in tables.values():
            table.file.close()
        stats = _stats(out_dir, tables, writer, orgs, {
            "seed": seed, "colleges": colleges, "enterprises": enterprises,
            "partnerships": partnerships, "two_way_share": two_way_share,
            "mismatch_share": mismatch_share})
        truth_tmp = _write_json_tmp(out_dir, stats.truth)
    except BaseException:
        for table in tables.values():
            table.file.close()
            table.tmp.unlink(missing_ok=True)
        if truth_tmp:
            truth_tmp.unlink(missing_ok=True)
        raise
    for name, table in tables.items():
        os.replace(table.tmp, out_dir / f"{name}.csv")
    os.replace(truth_tmp, out_dir / "truth.json")
    return stats


def _check_arguments(colleges: int, enterprises: int, partnerships: int, two_way_share: float,
                     mismatch_share: float) -> None:
    if colleges < 1 or enterprises < 1 or partnerships < 0:
        raise ValueError("colleges and enterprises must be at least 1, partnerships at least 0")
    if not 0.0 <= two_way_share <= 1.0:
        raise ValueError(f"two_way_share must be between 0 and 1, not {two_way_share}")
    if not 0.0 <= mismatch_share <= 1.0 - _DECLARED_EMPTY_SHARE:
        raise ValueError(f"mismatch_share must be between 0 and 0.7, not {mismatch_share}")


def _stats(out_dir: Path, tables: dict[str, _Table], writer: _PartnershipWriter, orgs: _Orgs,
           parameters: dict[str, Any]) -> GeneratedStats:
    rows = {name: table.rows for name, table in tables.items()}
    tables["partnerships"].triples += writer.participant_triples
    triples = sum(t.triples for t in tables.values())
    types: dict[str, int] = {code: 0 for code in _SIDE}
    for group in (orgs.industry, orgs.education, orgs.governments, orgs.alliances):
        for org in group:
            types[org.type] += 1
    counts = writer.counts
    truth = {
        "parameters": parameters,
        "modes": counts.modes,
        "directions": counts.directions,
        "mismatches": counts.mismatches,
        "declared_modes": counts.declared,
        "patterns": counts.patterns,
        "organization_types": types,
        "rows": rows,
        "triples": triples,
        "triples_by_table": {name: table.triples for name, table in tables.items()},
    }
    return GeneratedStats(out_dir, rows, triples, truth)


def _write_json_tmp(out_dir: Path, data: dict[str, Any]) -> Path:
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".truth.", suffix=".tmp")
    os.chmod(fd, _FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
        json.dump(data, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return Path(tmp)
