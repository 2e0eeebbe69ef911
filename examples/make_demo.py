"""Write the demo register in ``examples/demo/`` (the table format of PRODUCT.md section 3).

The data below is fictional but plausible: organizations, partnerships, resource
flows, activities and outcomes from several provinces and industries. Ids are
numbered in the order records appear here, so running the script twice gives
the same files byte for byte::

    .venv/bin/python examples/make_demo.py
"""

from __future__ import annotations

import csv
from pathlib import Path

DEMO = Path(__file__).resolve().parent / "demo"

# id number, name, name_zh, type (a code or a label), industry, region
ORGANIZATIONS: list[tuple[int, str, str, str, str, str]] = [
    (
        1,
        "Suzhou Zhizao Technology Co., Ltd.",
        "苏州智造科技有限公司",
        "enterprise",
        "智能制造",
        "江苏",
    ),
    (
        2,
        "Wuxi Huaxin Microelectronics Co., Ltd.",
        "无锡华芯微电子有限公司",
        "enterprise",
        "电子信息",
        "江苏",
    ),
    (
        3,
        "Changzhou Lyuneng New Energy Vehicle Co., Ltd.",
        "常州绿能新能源汽车有限公司",
        "企业",
        "新能源汽车",
        "江苏",
    ),
    (
        4,
        "Hangzhou Yunqi Software Co., Ltd.",
        "杭州云栖软件股份有限公司",
        "enterprise",
        "软件和信息服务",
        "浙江",
    ),
    (
        5,
        "Ningbo Yonggang Logistics Co., Ltd.",
        "宁波甬港物流有限公司",
        "enterprise",
        "现代物流",
        "浙江",
    ),
    (
        6,
        "Shenzhen Pengcheng Electronics Co., Ltd.",
        "深圳鹏城电子信息有限公司",
        "Enterprise",
        "电子信息",
        "广东",
    ),
    (
        7,
        "Guangzhou Suian Biopharma Co., Ltd.",
        "广州穗安生物医药有限公司",
        "enterprise",
        "生物医药",
        "广东",
    ),
    (
        8,
        "Foshan Shunde Intelligent Equipment Co., Ltd.",
        "佛山顺德智能装备有限公司",
        "enterprise",
        "智能制造",
        "广东",
    ),
    (
        9,
        "Qingdao Haiyue Rail Transit Equipment Co., Ltd.",
        "青岛海岳轨道交通装备有限公司",
        "enterprise",
        "轨道交通",
        "山东",
    ),
    (
        10,
        "Weifang Fenghe Agricultural Technology Co., Ltd.",
        "潍坊丰禾农业科技有限公司",
        "企业",
        "现代农业",
        "山东",
    ),
    (
        11,
        "Jinan Qilu New Energy Vehicle Co., Ltd.",
        "济南齐鲁新能源汽车有限公司",
        "enterprise",
        "新能源汽车",
        "山东",
    ),
    (
        12,
        "Chengdu Tianfu Software Co., Ltd.",
        "成都天府软件有限公司",
        "enterprise",
        "软件和信息服务",
        "四川",
    ),
    (
        13,
        "Mianyang Shuxin Electronic Technology Co., Ltd.",
        "绵阳蜀芯电子科技有限公司",
        "enterprise",
        "电子信息",
        "四川",
    ),
    (
        14,
        "Wuhan Guanggu Intelligent Manufacturing Co., Ltd.",
        "武汉光谷智能制造有限公司",
        "enterprise",
        "智能制造",
        "湖北",
    ),
    (
        15,
        "Xiangyang Hanjiang Auto Parts Co., Ltd.",
        "襄阳汉江汽车零部件有限公司",
        "ENTERPRISE",
        "新能源汽车",
        "湖北",
    ),
    (
        16,
        "Beijing Zhongguancun Shuzhi Technology Co., Ltd.",
        "北京中关村数智科技有限公司",
        "enterprise",
        "软件和信息服务",
        "北京",
    ),
    (
        17,
        "Beijing Jingcheng Rail Transit Technology Co., Ltd.",
        "北京京城轨道交通技术有限公司",
        "enterprise",
        "轨道交通",
        "北京",
    ),
    (
        18,
        "Shanghai Pujiang Biopharma Co., Ltd.",
        "上海浦江生物医药有限公司",
        "enterprise",
        "生物医药",
        "上海",
    ),
    (
        19,
        "Shanghai Lingang Smart Logistics Co., Ltd.",
        "上海临港智慧物流有限公司",
        "enterprise",
        "现代物流",
        "上海",
    ),
    (
        20,
        "Nanjing Jinling Robotics Co., Ltd.",
        "南京金陵机器人有限公司",
        "enterprise",
        "智能制造",
        "江苏",
    ),
    (
        21,
        "Wenzhou Ouyue Electric Co., Ltd.",
        "温州瓯越电气有限公司",
        "enterprise",
        "智能制造",
        "浙江",
    ),
    (
        22,
        "Yichang Sanxia Agricultural Development Co., Ltd.",
        "宜昌三峡农业发展有限公司",
        "enterprise",
        "现代农业",
        "湖北",
    ),
    (
        23,
        "Jiangsu Intelligent Manufacturing Industry Association",
        "江苏省智能制造行业协会",
        "industry_association",
        "智能制造",
        "江苏",
    ),
    (
        24,
        "Guangdong Electronic Information Industry Association",
        "广东省电子信息行业协会",
        "行业协会",
        "电子信息",
        "广东",
    ),
    (
        25,
        "Shandong Logistics and Transport Association",
        "山东省物流与交通运输协会",
        "industry_association",
        "现代物流",
        "山东",
    ),
    (
        26,
        "Suzhou Jinjihu Vocational and Technical College",
        "苏州金鸡湖职业技术学院",
        "vocational_college",
        "智能制造",
        "江苏",
    ),
    (
        27,
        "Hangzhou Qiantang Vocational and Technical College",
        "杭州钱塘职业技术学院",
        "职业院校",
        "软件和信息服务",
        "浙江",
    ),
    (
        28,
        "Shenzhen Nanshan Vocational and Technical College",
        "深圳南山职业技术学院",
        "vocational_college",
        "电子信息",
        "广东",
    ),
    (
        29,
        "Qingdao Jiaozhouwan Vocational and Technical College",
        "青岛胶州湾职业技术学院",
        "vocational_college",
        "轨道交通",
        "山东",
    ),
    (
        30,
        "Chengdu Jinjiang Vocational and Technical College",
        "成都锦江职业技术学院",
        "vocational_college",
        "软件和信息服务",
        "四川",
    ),
    (
        31,
        "Wuhan Donghu Vocational and Technical College",
        "武汉东湖职业技术学院",
        "Vocational_College",
        "智能制造",
        "湖北",
    ),
    (
        32,
        "Shanghai Pudong College of Applied Technology",
        "上海浦东应用技术学院",
        "college",
        "生物医药",
        "上海",
    ),
    (33, "Weifang College of Agriculture", "潍坊农业学院", "college", "现代农业", "山东"),
    (34, "Jiangnan University of Technology", "江南理工大学", "University", "智能制造", "江苏"),
    (
        35,
        "Central China University of Engineering",
        "华中工程大学",
        "university",
        "智能制造",
        "湖北",
    ),
    (36, "Jinghua University", "京华大学", "university", "软件和信息服务", "北京"),
    (
        37,
        "Zhejiang Institute of Intelligent Equipment",
        "浙江省智能装备研究院",
        "research_institute",
        "智能制造",
        "浙江",
    ),
    (
        38,
        "Sichuan Institute of Electronic Technology",
        "四川省电子技术研究所",
        "research_institute",
        "电子信息",
        "四川",
    ),
    (39, "Suzhou Municipal Education Bureau", "苏州市教育局", "government", "", "江苏"),
    (
        40,
        "Qingdao Municipal Development and Reform Commission",
        "青岛市发展和改革委员会",
        "government",
        "",
        "山东",
    ),
    (
        41,
        "Jiangsu Intelligent Manufacturing Vocational Education Group",
        "江苏智能制造职业教育集团",
        "alliance",
        "智能制造",
        "江苏",
    ),
    (
        42,
        "Shenzhen Nanshan Urban Industry-Education Consortium",
        "深圳南山市域产教联合体",
        "alliance",
        "电子信息",
        "广东",
    ),
]

# A flow: provider, recipient, resource, amount, currency, quantity, date.
Flow = tuple[int, int, str, str, str, str, str]
# An activity: kind, start, end, participants_count.
Activity = tuple[str, str, str, str]
# A partnership: participants, name, start, end, declared_mode, flows, activities.
Partnership = tuple[list[int], str, str, str, str, list[Flow], list[Activity]]

PARTNERSHIPS: list[Partnership] = [
    # --- two-way through explicit flows in both directions ---
    (
        [1, 26],
        "苏州智造智能制造产业学院",
        "2021-09-01",
        "2026-08-31",
        "two_way",
        [
            (1, 26, "funds", "500000", "CNY", "", "2021-10-15"),
            (1, 26, "equipment", "1200000", "", "3", "2022-03-01"),
            (26, 1, "talent", "", "", "35", "2023-07-01"),
            (26, 1, "talent", "", "", "41", "2024-07-01"),
        ],
        [
            ("order_class", "2022-09-01", "2025-06-30", "45"),
            ("training_base", "2021-10-01", "2026-08-31", "120"),
            ("internship", "2023-03-01", "2023-06-30", "30"),
        ],
    ),
    (
        [20, 34],
        "Jinling Robotics - Jiangnan Tech Joint Lab",
        "2020-01-01",
        "2025-12-31",
        "two_way",
        [
            (20, 34, "funds", "800000", "CNY", "", "2020-03-10"),
            (20, 34, "funds", "650000", "CNY", "", "2022-03-10"),
            (34, 20, "technology", "", "", "2", "2022-11-20"),
        ],
        [
            ("joint_research", "2020-03-01", "2023-12-31", "12"),
            ("joint_research", "2024-01-01", "2025-12-31", "10"),
        ],
    ),
    (
        [2, 26, 39],
        "无锡华芯现场工程师培养项目",
        "2022",
        "2025",
        "two_way",
        [
            (39, 26, "funds", "300000", "", "", "2022-05-01"),
            (2, 26, "venue", "", "", "1", "2022-06-01"),
            (26, 2, "talent", "", "", "20", "2023-06-30"),
        ],
        [
            ("internship", "2023-03-01", "2023-06-30", "20"),
            ("internship", "2024-03-01", "2024-06-30", "24"),
        ],
    ),
    (
        [4, 27],
        "Yunqi Software Course Co-development",
        "2021-03-01",
        "",
        "",
        [
            (4, 27, "teachers", "", "", "6", "2021-09-01"),
            (27, 4, "training", "", "", "120", "2022-01-15"),
            (4, 27, "funds", "200000", "CNY", "", "2022-09-01"),
            (27, 4, "talent", "", "", "15", "2023-07-01"),
        ],
        [
            ("joint_curriculum", "2021-09-01", "2022-07-15", "80"),
            ("joint_curriculum", "2022-09-01", "2023-07-15", "85"),
            ("internship", "2023-03-01", "2023-06-30", "20"),
        ],
    ),
    (
        [6, 28, 42],
        "鹏城电子学徒制试点",
        "2022-01-01",
        "2025-12-31",
        "two_way",
        [
            (6, 28, "equipment", "2500000", "CNY", "10", "2022-04-01"),
            (28, 6, "talent", "", "", "60", "2023-07-01"),
            (6, 42, "funds", "200000", "", "", "2022-02-01"),
            (42, 28, "information", "", "", "", "2022-03-01"),
        ],
        [
            ("apprenticeship", "2022-09-01", "2024-06-30", "30"),
            ("apprenticeship", "2023-09-01", "2025-06-30", "32"),
            ("training_base", "2022-04-01", "2025-12-31", "150"),
        ],
    ),
    (
        [9, 29],
        "Haiyue Rail Graduate Recruitment",
        "2023",
        "2024",
        "unilateral",
        [
            (9, 29, "jobs", "", "", "40", "2023-05-01"),
            (29, 9, "talent", "", "", "38", "2023-07-10"),
            (29, 9, "talent", "", "", "35", "2024-07-10"),
        ],
        [
            ("recruitment", "2023-04-01", "2023-07-31", "38"),
            ("recruitment", "2024-04-01", "2024-07-31", "35"),
        ],
    ),
    (
        [12, 30],
        "天府软件—锦江职院软件人才共育",
        "2022-09-01",
        "2025-08-31",
        "two_way",
        [
            (12, 30, "funds", "150000", "CNY", "", "2022-09-01"),
            (12, 30, "information", "", "", "", "2022-10-01"),
            (30, 12, "curriculum", "", "", "3", "2023-02-01"),
        ],
        [
            ("joint_curriculum", "2022-09-01", "2023-06-30", "70"),
            ("order_class", "2023-09-01", "2025-06-30", "40"),
        ],
    ),
    (
        [14, 35, 31],
        "Guanggu Intelligent Manufacturing Innovation Centre",
        "2021-06-01",
        "2026-05-31",
        "two_way",
        [
            (14, 35, "funds", "1500000", "CNY", "", "2021-06-01"),
            (35, 14, "technology", "", "", "1", "2022-12-01"),
            (31, 14, "talent", "", "", "25", "2022-07-01"),
            (35, 31, "teachers", "", "", "4", "2021-09-01"),
            (14, 31, "venue", "", "", "1", "2022-03-01"),
        ],
        [
            ("joint_research", "2021-06-01", "2023-06-30", "15"),
            ("internship", "2022-03-01", "2022-06-30", "25"),
        ],
    ),
    (
        [16, 36],
        "中关村数智—京华大学数据智能合作",
        "2023-01-01",
        "2025-12-31",
        "",
        [
            (16, 36, "funds", "100000", "USD", "", "2023-01-10"),
            (36, 16, "technology", "", "", "1", "2023-11-01"),
            (16, 36, "funds", "120000", "USD", "", "2024-01-10"),
        ],
        [
            ("tech_transfer", "2023-09-01", "2023-11-30", "3"),
            ("joint_research", "2024-01-01", "2025-06-30", "6"),
        ],
    ),
    (
        [18, 32],
        "Pujiang Biopharma Practice Programme",
        "2022-01-01",
        "2024-12-31",
        "two_way",
        [
            (18, 32, "venue", "", "", "1", "2022-02-15"),
            (32, 18, "talent", "", "", "18", "2022-07-01"),
            (32, 18, "talent", "", "", "21", "2023-07-01"),
            (18, 32, "funds", "62500.5", "CNY", "", "2023-01-05"),
        ],
        [
            ("internship", "2022-03-01", "2022-06-30", "18"),
            ("internship", "2023-03-01", "2023-06-30", "21"),
        ],
    ),
    (
        [10, 33],
        "丰禾农业智慧农场实训基地",
        "2022",
        "2026",
        "two_way",
        [
            (10, 33, "equipment", "450000", "CNY", "5", "2022-04-20"),
            (33, 10, "technology", "", "", "2", "2023-05-05"),
            (33, 10, "talent", "", "", "12", "2023-07-01"),
        ],
        [
            ("training_base", "2022-04-01", "2024-12-31", "60"),
            ("internship", "2023-07-01", "2023-08-31", "25"),
        ],
    ),
    (
        [23, 26, 1, 20],
        "Jiangsu Smart Manufacturing Skills Upgrading Plan",
        "2023-01-01",
        "2024-12-31",
        "two_way",
        [
            (23, 26, "information", "", "", "", "2023-01-05"),
            (26, 23, "training", "", "", "200", "2023-04-10"),
            (1, 20, "technology", "", "", "1", "2023-02-01"),
        ],
        [
            ("employee_training", "2023-03-01", "2023-06-30", "200"),
            ("employee_training", "2024-03-01", "2024-06-30", "180"),
        ],
    ),
    (
        [24, 28, 6],
        "广东电子信息行业人才标准共建",
        "2022-09-01",
        "",
        "",
        [
            (24, 28, "curriculum", "", "", "2", "2022-09-01"),
            (28, 24, "information", "", "", "", "2022-12-01"),
            (6, 28, "jobs", "", "", "25", "2023-05-01"),
        ],
        [("joint_curriculum", "2022-09-01", "2023-06-30", "50")],
    ),
    (
        [11, 29],
        "Qilu NEV Modern Apprenticeship",
        "2022-03-01",
        "2025-06-30",
        "two_way",
        [
            (11, 29, "teachers", "", "", "8", "2022-03-01"),
            (11, 29, "funds", "120000", "", "", "2023-03-01"),
            (29, 11, "training", "", "", "90", "2022-10-01"),
        ],
        [
            ("apprenticeship", "2022-09-01", "2025-06-30", "40"),
            ("recruitment", "2025-03-01", "2025-06-30", "38"),
        ],
    ),
    # --- two-way only through flows implied by activities ---
    (
        [3, 26],
        "绿能汽车订单班",
        "2023-09-01",
        "2026-06-30",
        "two_way",
        [],
        [("order_class", "2023-09-01", "2026-06-30", "50")],
    ),
    (
        [5, 27],
        "Yonggang Logistics Internship and Hiring",
        "2022",
        "2024",
        "",
        [],
        [
            ("internship", "2022-03-01", "2022-06-30", "30"),
            ("recruitment", "2022-05-01", "2022-07-31", "25"),
            ("internship", "2023-03-01", "2023-06-30", "28"),
        ],
    ),
    (
        [21, 37],
        "瓯越电气—浙江智能装备研究院联合攻关",
        "2021-05-01",
        "2024-04-30",
        "two_way",
        [],
        [
            ("joint_research", "2021-05-01", "2024-04-30", "9"),
            ("tech_transfer", "2023-06-01", "2023-12-31", "3"),
        ],
    ),
    (
        [13, 38],
        "Shuxin Chip Testing Research Partnership",
        "2020-07-01",
        "2023-06-30",
        "unilateral",
        [],
        [
            ("joint_research", "2020-07-01", "2022-06-30", "7"),
            ("tech_transfer", "2022-09-01", "2023-03-31", "4"),
        ],
    ),
    (
        [15, 31],
        "汉江汽车零部件学徒制班",
        "2021",
        "2024",
        "",
        [],
        [
            ("apprenticeship", "2021-09-01", "2024-06-30", "28"),
            ("recruitment", "2024-04-01", "2024-06-30", "20"),
        ],
    ),
    (
        [22, 31],
        "Sanxia Agriculture Joint Courses",
        "2022-02-01",
        "2023-12-31",
        "two_way",
        [],
        [
            ("joint_curriculum", "2022-02-01", "2022-12-31", "60"),
            ("joint_curriculum", "2023-02-01", "2023-12-31", "65"),
        ],
    ),
    (
        [8, 28, 42],
        "顺德智能装备订单班",
        "2022-06-01",
        "2025-06-30",
        "",
        [
            (42, 8, "funds", "100000", "CNY", "", "2022-07-01"),
            (28, 42, "information", "", "", "", "2022-08-01"),
        ],
        [
            ("order_class", "2022-09-01", "2025-06-30", "40"),
            ("internship", "2024-03-01", "2024-06-30", "35"),
        ],
    ),
    (
        [19, 32],
        "Lingang Logistics Campus Recruitment",
        "2023-03-01",
        "2024-08-31",
        "two_way",
        [],
        [
            ("recruitment", "2023-03-01", "2023-07-31", "15"),
            ("recruitment", "2024-03-01", "2024-07-31", "17"),
        ],
    ),
    # --- two-way: explicit flows one way, implied flows the other way ---
    (
        [1, 34],
        "Zhizao - Jiangnan Tech Patent Licensing",
        "2022-01-01",
        "2024-12-31",
        "two_way",
        [(1, 34, "funds", "600000", "CNY", "", "2022-01-10")],
        [
            ("tech_transfer", "2022-02-01", "2022-08-31", "5"),
            ("joint_research", "2023-01-01", "2024-12-31", "8"),
        ],
    ),
    (
        [17, 36],
        "京城轨交—京华大学人才引进",
        "2023",
        "",
        "",
        [
            (36, 17, "talent", "", "", "12", "2023-07-01"),
            (36, 17, "talent", "", "", "15", "2024-07-01"),
        ],
        [("donation", "2023-05-01", "2023-05-31", "")],
    ),
    (
        [21, 27],
        "Ouyue Electric Employee Upskilling",
        "2022-06-01",
        "2024-05-31",
        "unilateral",
        [(21, 27, "equipment", "300000", "", "4", "2022-07-01")],
        [("employee_training", "2022-09-01", "2023-01-15", "150")],
    ),
    (
        [12, 38],
        "天府软件—四川电子所测试平台",
        "2021-01-01",
        "2023-12-31",
        "two_way",
        [(38, 12, "technology", "", "", "1", "2022-06-01")],
        [
            ("training_base", "2021-03-01", "2023-12-31", "35"),
            ("employee_training", "2022-03-01", "2022-05-31", "40"),
        ],
    ),
    (
        [9, 29, 40],
        "Qingdao Rail Transit Skills Project",
        "2022-01-01",
        "2024-12-31",
        "",
        [
            (9, 29, "jobs", "", "", "30", "2022-06-01"),
            (40, 9, "funds", "500000", "CNY", "", "2022-03-01"),
        ],
        [("employee_training", "2022-10-01", "2022-12-31", "80")],
    ),
    (
        [14, 31],
        "光谷智造捐赠与课程合作",
        "2023-01-01",
        "2025-12-31",
        "two_way",
        [(31, 14, "curriculum", "", "", "2", "2023-09-01")],
        [("donation", "2023-03-01", "2023-03-31", "")],
    ),
    # --- unilateral, industry to education ---
    (
        [2, 26],
        "Huaxin Equipment Donation to Jinjihu",
        "2021-01-01",
        "2022-12-31",
        "two_way",
        [
            (2, 26, "equipment", "900000", "CNY", "8", "2021-05-20"),
            (2, 26, "funds", "200000", "CNY", "", "2022-05-20"),
        ],
        [("donation", "2021-05-01", "2021-05-31", "")],
    ),
    (
        [3, 34],
        "绿能汽车奖学金与捐赠",
        "2020",
        "2024",
        "two_way",
        [
            (3, 34, "funds", "2000000", "CNY", "", "2020-09-01"),
            (3, 34, "funds", "1500000", "", "", "2022-09-01"),
        ],
        [("donation", "2020-09-01", "2020-09-30", "")],
    ),
    (
        [5, 27],
        "Yonggang Logistics Training Base",
        "2023-01-01",
        "2027-12-31",
        "unilateral",
        [],
        [
            ("training_base", "2023-01-01", "2027-12-31", "90"),
            ("donation", "2023-06-01", "2023-06-30", ""),
        ],
    ),
    (
        [6, 28, 24],
        "鹏城电子岗位信息共享",
        "2023-01-01",
        "2024-12-31",
        "",
        [
            (6, 28, "jobs", "", "", "15", "2023-04-01"),
            (24, 28, "information", "", "", "", "2023-02-01"),
            (6, 28, "jobs", "", "", "18", "2024-04-01"),
        ],
        [],
    ),
    (
        [7, 28],
        "Suian Biopharma Scholarship",
        "2022",
        "2024",
        "unilateral",
        [
            (7, 28, "funds", "50000", "USD", "", "2022-09-15"),
            (7, 28, "funds", "50000", "USD", "", "2023-09-15"),
        ],
        [("donation", "2022-09-01", "2022-09-30", "")],
    ),
    (
        [8, 42, 28],
        "顺德装备实训车间共建",
        "2022-03-01",
        "2025-02-28",
        "two_way",
        [
            (8, 28, "venue", "", "", "2", "2022-04-01"),
            (42, 28, "funds", "150000", "CNY", "", "2022-05-01"),
            (8, 28, "equipment", "680000", "CNY", "12", "2022-06-01"),
        ],
        [("training_base", "2022-04-01", "2025-02-28", "100")],
    ),
    (
        [10, 33],
        "Fenghe Agronomist Teachers Programme",
        "2023-02-01",
        "2024-01-31",
        "unilateral",
        [(10, 33, "teachers", "", "", "3", "2023-02-15")],
        [("training_base", "2023-03-01", "2024-01-31", "40")],
    ),
    (
        [11, 29, 25],
        "山东新能源物流课程标准共建",
        "2023-01-01",
        "2023-12-31",
        "",
        [
            (25, 29, "curriculum", "", "", "1", "2023-03-01"),
            (11, 25, "information", "", "", "", "2023-02-01"),
        ],
        [],
    ),
    (
        [16, 36],
        "Shuzhi Technology Research Fund",
        "2021-01-01",
        "2022-12-31",
        "",
        [
            (16, 36, "funds", "300000", "CNY", "", "2021-03-01"),
            (16, 36, "funds", "300000", "CNY", "", "2022-03-01"),
        ],
        [("donation", "2021-03-01", "2021-03-31", "")],
    ),
    (
        [18, 32],
        "浦江生物实验设备捐赠",
        "2024-01-01",
        "2024-12-31",
        "unilateral",
        [
            (18, 32, "funds", "80000", "", "", "2024-03-01"),
            (18, 32, "equipment", "420000", "CNY", "6", "2024-04-01"),
        ],
        [("donation", "2024-03-01", "2024-04-30", "")],
    ),
    (
        [19, 32],
        "Lingang Logistics Warehouse Training",
        "2022",
        "2023",
        "two_way",
        [
            (19, 32, "venue", "", "", "1", "2022-03-01"),
            (19, 32, "jobs", "", "", "10", "2022-05-01"),
        ],
        [],
    ),
    (
        [22, 31],
        "三峡农业教师实践培训",
        "2021-07-01",
        "2021-08-31",
        "unilateral",
        [
            (22, 31, "training", "", "", "12", "2021-07-15"),
            (22, 31, "venue", "", "", "1", "2021-07-01"),
        ],
        [],
    ),
    # --- unilateral, education to industry ---
    (
        [26, 1],
        "Jinjihu Staff Training for Zhizao",
        "2022-01-01",
        "2022-12-31",
        "unilateral",
        [],
        [
            ("employee_training", "2022-03-01", "2022-05-31", "60"),
            ("employee_training", "2022-09-01", "2022-11-30", "55"),
            ("tech_transfer", "2022-06-01", "2022-08-31", "2"),
        ],
    ),
    (
        [34, 20],
        "江南理工专利转让金陵机器人",
        "2023-01-01",
        "2023-12-31",
        "two_way",
        [(34, 20, "technology", "", "", "1", "2023-06-01")],
        [("tech_transfer", "2023-03-01", "2023-06-30", "4")],
    ),
    (
        [27, 4],
        "Qiantang Graduates for Yunqi",
        "2022",
        "2024",
        "",
        [
            (27, 4, "talent", "", "", "22", "2022-07-01"),
            (27, 4, "talent", "", "", "26", "2023-07-01"),
            (27, 4, "curriculum", "", "", "1", "2023-03-01"),
        ],
        [("employee_training", "2023-09-01", "2023-10-31", "30")],
    ),
    (
        [37, 21],
        "浙江智能装备研究院技术服务",
        "2022-04-01",
        "2024-03-31",
        "unilateral",
        [
            (37, 21, "technology", "", "", "2", "2022-10-01"),
            (37, 21, "information", "", "", "", "2023-01-10"),
        ],
        [("tech_transfer", "2022-10-01", "2023-03-31", "2")],
    ),
    (
        [30, 12],
        "Jinjiang College Consulting for Tianfu",
        "2023-01-01",
        "2023-12-31",
        "two_way",
        [
            (30, 12, "training", "", "", "60", "2023-04-01"),
            (30, 12, "teachers", "", "", "2", "2023-05-01"),
            (30, 12, "information", "", "", "", "2023-08-01"),
        ],
        [],
    ),
    (
        [38, 13],
        "四川电子所芯片封装技术转移",
        "2022",
        "2023",
        "",
        [],
        [
            ("tech_transfer", "2022-05-01", "2022-12-31", "3"),
            ("employee_training", "2023-03-01", "2023-05-31", "25"),
        ],
    ),
    (
        [35, 15],
        "Central China Engineering Talent for Hanjiang",
        "2022-01-01",
        "2024-12-31",
        "unilateral",
        [(35, 15, "talent", "", "", "8", "2022-07-01")],
        [("employee_training", "2023-03-01", "2023-04-30", "45")],
    ),
    (
        [29, 9, 40],
        "胶州湾职院轨交员工培训",
        "2023-01-01",
        "2023-12-31",
        "two_way",
        [
            (29, 9, "training", "", "", "150", "2023-05-01"),
            (29, 9, "talent", "", "", "40", "2023-07-01"),
            (40, 29, "funds", "200000", "CNY", "", "2023-02-01"),
        ],
        [],
    ),
    # --- no cross-side flow at all ---
    (
        [1, 20],
        "Zhizao - Jinling Robotics Supply Alliance",
        "2021-01-01",
        "2025-12-31",
        "two_way",
        [
            (1, 20, "technology", "", "", "1", "2021-04-01"),
            (20, 1, "funds", "350000", "CNY", "", "2021-06-01"),
        ],
        [],
    ),
    (
        [26, 27],
        "金鸡湖—钱塘职院教学资源互通",
        "2022-09-01",
        "2024-08-31",
        "",
        [
            (26, 27, "curriculum", "", "", "4", "2022-10-01"),
            (27, 26, "teachers", "", "", "3", "2023-03-01"),
            (26, 27, "information", "", "", "", "2023-09-01"),
        ],
        [],
    ),
    (
        [2, 6],
        "Huaxin - Pengcheng Engineer Exchange",
        "2023-01-01",
        "2023-12-31",
        "",
        [],
        [("internship", "2023-06-01", "2023-08-31", "6")],
    ),
    (
        [39, 26],
        "苏州市教育局专项资助",
        "2022",
        "2022",
        "unilateral",
        [(39, 26, "funds", "1000000", "CNY", "", "2022-04-01")],
        [],
    ),
    (
        [41, 1, 26],
        "Jiangsu Vocational Education Group Membership",
        "2020-01-01",
        "",
        "two_way",
        [
            (41, 1, "information", "", "", "", "2021-01-15"),
            (26, 41, "information", "", "", "", "2021-02-15"),
        ],
        [],
    ),
    (
        [34, 35],
        "江南理工—华中工程联合研究",
        "2021-09-01",
        "2024-08-31",
        "",
        [(34, 35, "technology", "", "", "1", "2022-05-01")],
        [("joint_research", "2021-09-01", "2024-08-31", "10")],
    ),
    (
        [17, 9],
        "Rail Transit Equipment Data Sharing",
        "2022-01-01",
        "2023-12-31",
        "",
        [(17, 9, "information", "", "", "", "2022-03-01")],
        [],
    ),
    (
        [40, 42],
        "青岛发改委与南山联合体经验交流",
        "2023",
        "2023",
        "",
        [(40, 42, "funds", "50000", "CNY", "", "2023-06-01")],
        [],
    ),
    (
        [23, 41, 20],
        "Jiangsu Robotics Association Services",
        "2022-01-01",
        "2023-12-31",
        "",
        [
            (41, 23, "information", "", "", "", "2022-02-01"),
            (23, 20, "training", "", "", "30", "2022-05-01"),
        ],
        [("employee_training", "2022-05-01", "2022-06-30", "30")],
    ),
    ([5, 19], "甬港—临港物流战略合作", "2024-01-01", "", "", [], []),
    # --- mixed cases with more participants ---
    (
        [20, 26, 34, 41],
        "Jinling Robotics Industrial College",
        "2022-09-01",
        "2027-08-31",
        "two_way",
        [
            (20, 26, "jobs", "", "", "20", "2023-03-01"),
            (26, 20, "talent", "", "", "18", "2024-07-01"),
            (34, 26, "teachers", "", "", "5", "2022-09-01"),
            (41, 20, "funds", "250000", "CNY", "", "2022-10-01"),
            (20, 26, "funds", "300000", "CNY", "", "2023-09-01"),
        ],
        [
            ("order_class", "2022-09-01", "2025-06-30", "36"),
            ("joint_curriculum", "2022-09-01", "2023-07-15", "36"),
            ("internship", "2024-03-01", "2024-06-30", "30"),
        ],
    ),
    (
        [6, 13, 28, 38],
        "电子信息产教融合创新联合体",
        "2021-01-01",
        "2025-12-31",
        "",
        [
            (13, 38, "funds", "700000", "CNY", "", "2021-05-01"),
            (38, 13, "technology", "", "", "3", "2022-12-01"),
            (6, 28, "equipment", "520000", "CNY", "4", "2021-08-01"),
            (28, 6, "talent", "", "", "22", "2023-07-01"),
        ],
        [
            ("joint_research", "2021-05-01", "2024-12-31", "20"),
            ("tech_transfer", "2023-01-01", "2023-06-30", "3"),
        ],
    ),
    (
        [3, 15, 31],
        "NEV Parts Apprenticeship Consortium",
        "2022-09-01",
        "2025-06-30",
        "two_way",
        [(3, 15, "equipment", "150000", "CNY", "2", "2022-10-01")],
        [("apprenticeship", "2022-09-01", "2025-06-30", "24")],
    ),
    (
        [11, 33, 40],
        "齐鲁汽车—潍坊农业学院实训基地",
        "2023-01-01",
        "2025-12-31",
        "",
        [
            (11, 33, "funds", "250000", "CNY", "", "2023-02-01"),
            (40, 33, "funds", "100000", "CNY", "", "2023-03-01"),
        ],
        [("training_base", "2023-03-01", "2025-12-31", "50")],
    ),
    (
        [7, 18, 32],
        "Biopharma GMP Staff Training",
        "2023-01-01",
        "2023-12-31",
        "unilateral",
        [
            (32, 7, "talent", "", "", "6", "2023-07-01"),
            (32, 18, "talent", "", "", "5", "2023-07-01"),
        ],
        [("employee_training", "2023-04-01", "2023-06-30", "70")],
    ),
    (
        [16, 17, 36],
        "京华大学毕业生双选会",
        "2024",
        "2024",
        "",
        [],
        [
            ("recruitment", "2024-03-01", "2024-05-31", "40"),
            ("internship", "2024-06-01", "2024-08-31", "15"),
        ],
    ),
    (
        [21, 37, 27],
        "Wenzhou Smart Electric Pilot Base",
        "2022-01-01",
        "2024-12-31",
        "two_way",
        [
            (21, 37, "funds", "400000", "CNY", "", "2022-02-01"),
            (27, 21, "talent", "", "", "10", "2023-07-01"),
            (21, 27, "jobs", "", "", "12", "2023-03-01"),
        ],
        [],
    ),
    (
        [8, 14],
        "Shunde - Guanggu Equipment Donation",
        "2023-01-01",
        "2023-06-30",
        "",
        [(8, 14, "equipment", "90000", "CNY", "1", "2023-02-01")],
        [("donation", "2023-02-01", "2023-02-28", "")],
    ),
]

# Outcomes: subject (org number or partnership id), indicator, unit, values for 2022, 2023, 2024.
VOCATIONAL_BASE = {
    26: (96.2, 78.5, 35),
    27: (95.1, 74.0, 28),
    28: (97.3, 81.2, 42),
    29: (94.8, 76.9, 26),
    30: (93.6, 71.4, 19),
    31: (94.1, 73.3, 22),
}
COLLEGE_BASE = {32: (92.4, 1850), 33: (90.7, 1320)}
UNIVERSITY_BASE = {34: (95.6, 38, 12), 35: (94.2, 27, 9), 36: (96.8, 52, 15)}
YEARS = ("2022", "2023", "2024")


def org_id(number: int) -> str:
    """Return the table id of organization ``number``, e.g. ``ORG001``."""
    return f"ORG{number:03d}"


def fmt(value: float) -> str:
    """Format a number without a trailing ``.0`` and with one decimal at most."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


def outcome_rows() -> list[tuple[str, str, str, str, str]]:
    """Return outcomes as (subject, indicator, value, unit, year), in a fixed order."""
    rows: list[tuple[str, str, str, str, str]] = []
    for number, (emp, matched, teachers) in VOCATIONAL_BASE.items():
        for step, year in enumerate(YEARS):
            rows.append((org_id(number), "employment_rate", fmt(emp + 0.4 * step), "%", year))
            rows.append(
                (org_id(number), "matched_employment_rate", fmt(matched + 1.1 * step), "%", year)
            )
            rows.append(
                (
                    org_id(number),
                    "teachers_from_enterprises",
                    str(teachers + 4 * step),
                    "persons",
                    year,
                )
            )
    for number, (emp, trained) in COLLEGE_BASE.items():
        for step, year in enumerate(YEARS):
            rows.append((org_id(number), "employment_rate", fmt(emp + 0.6 * step), "%", year))
            rows.append(
                (org_id(number), "students_trained", str(trained + 90 * step), "persons", year)
            )
    for number, (emp, patents, projects) in UNIVERSITY_BASE.items():
        for step, year in enumerate(YEARS):
            rows.append((org_id(number), "employment_rate", fmt(emp - 0.3 * step), "%", year))
            rows.append((org_id(number), "patents", str(patents + 6 * step), "count", year))
            rows.append((org_id(number), "joint_projects", str(projects + 2 * step), "count", year))
    for number, patents in ((37, (14, 17)), (38, (9, 12))):
        rows.append((org_id(number), "patents", str(patents[0]), "count", "2023"))
        rows.append((org_id(number), "patents", str(patents[1]), "count", "2024"))
    for number, investment in ((1, 1700000), (6, 2700000), (20, 1450000), (14, 1500000)):
        rows.append((org_id(number), "enterprise_investment", str(investment), "CNY", "2023"))
        rows.append(
            (org_id(number), "enterprise_investment", str(investment + 350000), "CNY", "2024")
        )
    for number, hosted in ((2, 20), (18, 21)):
        rows.append((org_id(number), "interns_hosted", str(hosted), "persons", "2023"))
        rows.append((org_id(number), "interns_hosted", str(hosted + 3), "persons", "2024"))
    rows.append(("P001", "students_trained", "45", "persons", "2024"))
    rows.append(("P002", "patents", "2", "count", "2023"))
    rows.append(("P008", "joint_projects", "3", "count", "2024"))
    return rows


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    """Write one UTF-8 CSV table (no BOM, ``\\n`` line ends)."""
    with (DEMO / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    """Write the five demo tables."""
    DEMO.mkdir(exist_ok=True)
    write(
        "organizations",
        ["id", "name", "name_zh", "type", "industry", "region"],
        [[org_id(n), *rest] for n, *rest in ORGANIZATIONS],
    )
    partnerships, flows, activities = [], [], []
    for index, (members, name, start, end, declared, p_flows, p_acts) in enumerate(PARTNERSHIPS, 1):
        pid = f"P{index:03d}"
        partnerships.append([pid, ";".join(org_id(m) for m in members), name, start, end, declared])
        for provider, recipient, resource, amount, currency, quantity, date in p_flows:
            flows.append(
                [
                    f"F{len(flows) + 1:03d}",
                    pid,
                    org_id(provider),
                    org_id(recipient),
                    resource,
                    amount,
                    currency,
                    quantity,
                    date,
                ]
            )
        for kind, a_start, a_end, count in p_acts:
            activities.append([f"A{len(activities) + 1:03d}", pid, kind, a_start, a_end, count])
    write(
        "partnerships",
        ["id", "participants", "name", "start", "end", "declared_mode"],
        partnerships,
    )
    write(
        "flows",
        [
            "id",
            "partnership",
            "provider",
            "recipient",
            "resource",
            "amount",
            "currency",
            "quantity",
            "date",
        ],
        flows,
    )
    write(
        "activities",
        ["id", "partnership", "kind", "start", "end", "participants_count"],
        activities,
    )
    write(
        "outcomes",
        ["id", "subject", "indicator", "value", "unit", "year"],
        [[f"O{i:03d}", *row] for i, row in enumerate(outcome_rows(), 1)],
    )


if __name__ == "__main__":
    main()
