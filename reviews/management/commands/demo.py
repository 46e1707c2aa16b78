"""``manage.py demo``: a fictional user, ``demo``, with three years of reviews.

林晓 (Lin Xiao) is an invented backend engineer: 2023 at 青岚数据 (Qinglan Data),
2024 through its acquisition by Northwind Labs, 2025 at a small start-up,
Larkspur Works, and goals set for 2026. Every person, company, book, paper,
talk and project below is made up; every link points at example.com.

The command writes only when the user does not exist yet, and then all in one
transaction, so running it twice changes nothing.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from library.models import Item
from reviews.models import Goal, Review
from timeline.models import CareerMove, Entry

USERNAME = "demo"
PASSWORD = "demo-almanac-2025"
LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"
LICENSE = "CC BY-NC-SA 4.0"

_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_SOFT_BREAK = re.compile(f"(?<=[{_CJK}])\n(?=[{_CJK}])")


def _md(text: str) -> str:
    """Dedent a Markdown literal and join lines wrapped between two CJK characters.

    The literals are wrapped to fit the line length; a line break between two
    Chinese characters would show as a stray space, so it is removed.
    """
    return _SOFT_BREAK.sub("", textwrap.dedent(text).strip())


USER = {
    "username": USERNAME,
    "email": "demo@example.com",
    "first_name": "林晓",
    "last_name": "",
}

REVIEWS = [
    {
        "year": 2023,
        "language": "zh-Hans",
        "title": "2023：重写、膝盖和一只猫",
        "intro": _md("""
            这是我第一次认真写年度回顾。2023 年的大部分时间都在青岚数据 (Qinglan Data)
            重写数据接入管道，顺便学会了 Rust，也顺便伤了膝盖。

            写这份回顾只有一条规则：**写真实发生的事，而不是希望发生的事。**
        """),
        "closing": _md("""
            明年想少一点救火，多一点设计；也想把没跑成的半程马拉松跑完。

            谢谢 2023 年一起加班、一起复盘的同事们。Onward.
        """),
        "note_timeline": _md("""
            上半年几乎全被 ingestion rewrite 占满，下半年是稳定性专项。回头看，
            真正改变工作方式的是十月那次事故复盘：从那以后，我们的 on-call
            才开始像样。
        """),
        "note_career": _md("""
            四月升为高级后端工程师 (Senior Backend Engineer)。比职级更大的变化是
            开始带新人——原来把一件事讲清楚，比把它做完难得多。
        """),
        "note_reading": _md("""
            论文的目标是 6 篇，只读完了 4 篇；书倒是比预期读得多。最想推荐的三样：

            - 《慢慢来的系统》：关于耐心的技术书
            - *Exactly-Once Is a Budget, Not a Guarantee*
            - 陶宁的《写给新人的第一封 code review 信》
        """),
        "note_goals": _md("""
            五个目标：两个达成，一个部分达成，一个没做到，一个中途放弃。
            放弃每月一篇博客不是偷懒，而是发现内部文档更值得花时间。
        """),
    },
    {
        "year": 2024,
        "language": "en",
        "title": "2024: Acquired, and Learning to Lead",
        "intro": _md("""
            Qinglan Data became part of Northwind Labs in March, and in April I became a
            tech lead for the first time. I am writing this one in English because half of
            my new team will read it. 中文的部分，留给自己。
        """),
        "closing": _md("""
            The lesson of the year: a team's speed is set by how fast it can *decide*, not
            by how fast it can type. Next year I want to find out what I want to build
            for the next five years — 这个问题还没有答案。
        """),
        "note_timeline": _md("""
            Two long projects framed the year: merging two data platforms in the first
            half, moving to Kubernetes in the second. In between, Tokyo, a new flat, and
            a half marathon I owed myself since 2023.
        """),
        "note_career": _md("""
            The acquisition closed on March 1st; the tech lead role followed five weeks
            later. Less code, more writing: design docs, 1:1 notes, incident reviews.
        """),
        "note_reading": _md("""
            The paper goal carried over from 2023 finally worked once I fixed a time for
            it (Friday afternoons). Books suffered.

            | Kind | Finished | Favourite |
            | --- | ---: | --- |
            | Papers | 6 | *Cells, Not Clusters* |
            | Books | 5 | *Small Teams, Long Horizons* |
            | Articles | 1 | *Writing Migration Runbooks People Actually Follow* |
            | Talks | 1 | *Kubernetes Operators: The Boring Parts* |
        """),
        "note_goals": _md("""
            Two goals carried over from 2023 and both were achieved, which says more
            about the value of a second try than about me. The migration is half done;
            the reading target was simply too high for a first year of leading.
        """),
    },
    {
        "year": 2025,
        "language": "zh-Hans",
        "title": "2025：离开，然后重新开始",
        "intro": _md("""
            今年做了工作以来最难的一个决定：离开 Northwind Labs，去一家只有十二个人的
            公司 Larkspur Works 做离线同步 (offline sync)。

            这份回顾写给一年后的自己：希望你还记得，为什么出发。
        """),
        "closing": _md("""
            2026 年的关键词是**交付**：把 sync engine 做稳，把 tally 真正上线，
            带爸妈去一次云南。

            三年的回顾放在一起看，最大的变化不是职位，而是我终于学会了说“不”。
        """),
        "note_timeline": _md("""
            上半年在犹豫，下半年在奔跑。三月的大会分享是转折点：第一次发现，
            我最兴奋的时候是在讲客户端同步，而不是数据平台。
        """),
        "note_career": _md("""
            七月离开 Northwind，八月加入 Larkspur。职位从 tech lead 回到工程师，
            但每天写的代码离用户近了很多。
        """),
        "note_reading": _md("""
            把读书目标从 8 本降到 6 本，反而读完了。下半年几乎都在读同步相关的东西，
            清单在 [这里](https://example.com/lists/sync-reading-2025)。
        """),
        "note_goals": _md("""
            - 达成：读 6 本书、一次外部分享
            - 部分达成：开源 PR（2/3）
            - 没做到：tally 上线——带到 2026 年再试一次
            - 放弃：云认证，换工作后用不上了
            - 还在进行：学做菜、早点睡
        """),
    },
]

ENTRIES = [
    # 2023
    {
        "title": "Ingestion pipeline 重写 (rewrite)",
        "started_on": date(2023, 1, 9),
        "ended_on": date(2023, 4, 28),
        "body": _md("""
            旧的接入管道是十几个 cron 脚本拼起来的，出了问题只能靠猜。这次重写的目标：

            - 每条数据可追溯：从哪来、何时到、被谁改过
            - 失败可以重放，而不是手工补数
            - 延迟从小时级降到分钟级

            四个月，三个人，一块白板。
        """),
    },
    {
        "title": "第一次冬季徒步",
        "started_on": date(2023, 2, 18),
        "body": _md("""
            和大学室友走了一段山路，零下两度，手机冻到关机。回来决定：今年要把体能练起来。
        """),
    },
    {
        "title": "用 Rust 写了第一个小工具 logslice",
        "started_on": date(2023, 3, 20),
        "body": _md("""
            logslice 是一个两百行的 Rust 小工具，按时间窗口切日志：

            ```bash
            logslice --from 02:10 --to 02:25 ingest.log | grep -c retry
            ```

            第一次体会到编译器比 code reviewer 还严格。
        """),
    },
    {
        "title": "Data Infra Meetup（上海）",
        "started_on": date(2023, 4, 15),
        "body": _md("""
            第一次自费去听技术分享。最有收获的是 schema evolution 那一场，
            笔记在 [这里](https://example.com/notes/data-infra-meetup-2023)。
        """),
    },
    {
        "title": "带两位新同事 onboarding",
        "started_on": date(2023, 5, 22),
        "ended_on": date(2023, 7, 31),
        "body": _md("""
            第一次写 onboarding 文档，列了 30 件“第一周应该知道的事”。
            两位新同事都在第三周独立上线了改动。
        """),
    },
    {
        "title": "跑步时膝盖受伤",
        "started_on": date(2023, 6, 10),
        "private": True,
        "body": _md("""
            十公里的第八公里，右膝突然刺痛。医生说是髌腱炎，至少休息两个月。
            半马计划泡汤了。
        """),
    },
    {
        "title": "稳定性专项 (reliability sprint)",
        "started_on": date(2023, 7, 1),
        "ended_on": date(2023, 11, 1),
        "body": _md("""
            rewrite 上线后告警数翻了一倍。整个下半年做了三件事：

            1. 给每个告警指定 owner
            2. 删掉 40% 从来没人处理的告警
            3. 建立每周一次的 on-call 交接
        """),
    },
    {
        "title": "领养了一只橘猫，叫豆包",
        "started_on": date(2023, 8, 12),
        "body": _md("""
            从同事家的一窝小猫里领来的。第一晚它睡在我的键盘上，第二天我的
            commit message 里多了一串 `jjjjjjjj`。
        """),
    },
    {
        "title": "中秋回家",
        "started_on": date(2023, 9, 29),
        "private": True,
        "body": _md("""
            和爸爸聊了很久他的退休计划。第一次觉得，父母也会害怕变化。
        """),
    },
    {
        "title": "主持第一次事故复盘",
        "started_on": date(2023, 10, 14),
        "body": _md("""
            凌晨两点的数据延迟事故。复盘不追责，只问三个问题：

            - 发生了什么？
            - 为什么没有提前发现？
            - 下次怎样更早知道？
        """),
    },
    {
        "title": "写下第一份年度回顾",
        "started_on": date(2023, 12, 30),
        "body": "就是你现在看到的这份。",
    },
    # 2024
    {
        "title": "Northwind Labs announces it will acquire Qinglan",
        "started_on": date(2024, 1, 15),
        "body": _md("""
            全员会只开了二十分钟。The slide said *nothing changes for now*, which of
            course meant everything would.
        """),
    },
    {
        "title": "Integration: two data platforms into one",
        "started_on": date(2024, 2, 5),
        "ended_on": date(2024, 6, 28),
        "body": _md("""
            Northwind had its own platform; so did we. The plan:

            - one catalogue of datasets, owned by whoever produces the data
            - one ingestion path, ours (it was newer)
            - one scheduler, theirs (it was better)
        """),
    },
    {
        "title": "膝伤之后第一次跑完 10 公里",
        "started_on": date(2024, 3, 16),
        "body": "58 分钟，很慢，但一点都不疼。",
    },
    {
        "title": "First week as tech lead",
        "started_on": date(2024, 4, 8),
        "body": _md("""
            五个人的 Data Platform 组。第一周只做了三件事：

            - 和每个人 1:1
            - 读完所有 open incidents
            - 决定 *不* 重写任何东西
        """),
    },
    {
        "title": "东京一周 (Tokyo)",
        "started_on": date(2024, 5, 25),
        "ended_on": date(2024, 6, 1),
        "body": _md("""
            一个人的旅行。走了很多路，吃了很多便利店饭团。日语只够点菜。
        """),
    },
    {
        "title": "Burnout week",
        "started_on": date(2024, 6, 17),
        "ended_on": date(2024, 6, 21),
        "private": True,
        "body": _md("""
            连续三周每天开会到晚上八点。周三下午在工位上发呆了一个小时。
            请了两天假，和 manager 说了实话。
        """),
    },
    {
        "title": "Kubernetes migration",
        "started_on": date(2024, 7, 1),
        "ended_on": date(2024, 11, 1),
        "body": _md("""
            把 ingestion 平台从虚拟机迁到 Kubernetes。32 个服务迁完 24 个，
            剩下 8 个有状态服务明年再说。Runbook:
            [example.com/runbooks/k8s-migration](https://example.com/runbooks/k8s-migration)
        """),
    },
    {
        "title": "搬家",
        "started_on": date(2024, 8, 24),
        "body": _md("""
            搬到离公司骑车十五分钟的地方。豆包花了三天才肯从床底下出来。
        """),
    },
    {
        "title": "First internal tech talk: Retries Are a Loan",
        "started_on": date(2024, 9, 14),
        "body": "讲了 25 分钟，被问了 40 分钟。Best kind of talk.",
    },
    {
        "title": "半程马拉松完赛：2:04:37",
        "started_on": date(2024, 10, 27),
        "body": _md("""
            去年没跑成的目标，今年补上了。最后三公里几乎是走的，但没有停下来。
        """),
    },
    {
        "title": "Team offsite",
        "started_on": date(2024, 12, 11),
        "ended_on": date(2024, 12, 13),
        "body": _md("""
            Two days, no laptops. We wrote down three principles for the platform team in
            2025, and then argued about the third one until midnight.
        """),
    },
    {
        "title": "和 manager 的年终谈话",
        "started_on": date(2024, 12, 27),
        "private": True,
        "body": _md("""
            她问我五年后想做什么。我答不上来。这个问题跟了我整个冬天。
        """),
    },
    # 2025
    {
        "title": "第一个开源 PR：tidewater",
        "started_on": date(2025, 1, 6),
        "body": _md("""
            给 [tidewater](https://example.com/tidewater) 修了一个 watermark 的
            off-by-one。维护者的回复只有两个词：nice catch。开心了一整天。
        """),
    },
    {
        "title": "要不要离开 Northwind？",
        "started_on": date(2025, 2, 10),
        "ended_on": date(2025, 5, 30),
        "private": True,
        "body": _md("""
            列了一张表：留下的理由 7 条，离开的理由 3 条。
            但那 3 条，每一条都比那 7 条重。
        """),
    },
    {
        "title": "在 Data Infra Summit 做分享",
        "started_on": date(2025, 3, 22),
        "body": _md("""
            题目：*同步引擎里的时钟问题*。幻灯片在
            [example.com/talks/clocks-2025](https://example.com/talks/clocks-2025)。
            紧张到忘了自我介绍。
        """),
    },
    {
        "title": "学会的第一道硬菜：番茄牛腩",
        "started_on": date(2025, 4, 12),
        "body": _md("""
            失败了两次：第一次太咸，第二次牛腩没炖烂。第三次，朋友要了第二碗。
        """),
    },
    {
        "title": "Side project：记账小工具 tally",
        "started_on": date(2025, 6, 1),
        "ended_on": date(2025, 9, 15),
        "body": _md("""
            想做一个只有三个按钮的记账工具。写了后端，写了同步，最后卡在——没有设计。
            九月新工作忙起来以后就停了。
        """),
    },
    {
        "title": "在 Northwind 的最后一天",
        "started_on": date(2025, 7, 18),
        "body": _md("""
            交接文档写了 42 页。团队送了一本大家签名的笔记本。
        """),
    },
    {
        "title": "加入 Larkspur Works",
        "started_on": date(2025, 8, 4),
        "body": _md("""
            十二个人的公司，做离线优先 (offline-first) 的现场作业 App。
            第一天就上线了一个修复。
        """),
    },
    {
        "title": "和爸妈去黄山",
        "started_on": date(2025, 9, 6),
        "ended_on": date(2025, 9, 9),
        "body": "爸爸走得比我快。",
    },
    {
        "title": "重写 sync engine",
        "started_on": date(2025, 10, 1),
        "ended_on": date(2025, 12, 12),
        "body": _md("""
            Larkspur 同步引擎的第二版。几个核心决定：

            - 用操作日志 (op log) 代替整行覆盖
            - 冲突在客户端解决，服务器只负责排序
            - 每台设备一个混合逻辑时钟 (HLC)
        """),
    },
    {
        "title": "豆包住院三天",
        "started_on": date(2025, 11, 8),
        "ended_on": date(2025, 11, 10),
        "private": True,
        "body": _md("""
            尿路结石。三天里每天下班都去医院看它。出院那天它一眼都没看我，
            直接钻进了猫包。
        """),
    },
    {
        "title": "开始写 2025 年度回顾",
        "started_on": date(2025, 12, 20),
        "body": _md("""
            第三份了。回头翻 2023 年那份，很多担心都没有发生。
        """),
    },
]

CAREER_MOVES = [
    {
        "date": date(2023, 4, 1),
        "kind": CareerMove.Kind.PROMOTED,
        "organization": "青岚数据 (Qinglan Data)",
        "role": "高级后端工程师 (Senior Backend Engineer)",
        "note": _md("""
            rewrite 第一阶段上线后通过了晋升答辩。答辩时最难的问题是：
            *如果重来一次，你会砍掉什么？*
        """),
    },
    {
        "date": date(2023, 10, 20),
        "kind": CareerMove.Kind.OTHER,
        "organization": "Amberline Robotics",
        "role": "Staff Engineer offer（已婉拒）",
        "private": True,
        "note": _md("""
            薪水高 30%，但团队还没想清楚要做什么。拒绝之后反而松了一口气。
        """),
    },
    {
        "date": date(2024, 3, 1),
        "kind": CareerMove.Kind.ACQUIRED,
        "organization": "Northwind Labs",
        "role": "Senior Backend Engineer",
        "note": _md("""
            Qinglan Data officially became part of Northwind Labs. 工牌换了颜色，
            Slack 里多了两千人。
        """),
    },
    {
        "date": date(2024, 4, 8),
        "kind": CareerMove.Kind.ROLE_CHANGE,
        "organization": "Northwind Labs",
        "role": "Tech Lead, Data Platform",
        "note": _md("""
            First time leading a team. Less code, more writing: design docs, 1:1 notes,
            and far too many calendar invites.
        """),
    },
    {
        "date": date(2025, 7, 18),
        "kind": CareerMove.Kind.LEFT,
        "organization": "Northwind Labs",
        "role": "Tech Lead, Data Platform",
        "note": _md("""
            离开不是因为这里不好，而是想去做离用户更近的东西。
        """),
    },
    {
        "date": date(2025, 8, 4),
        "kind": CareerMove.Kind.JOINED,
        "organization": "Larkspur Works",
        "role": "Senior Engineer, Sync",
        "note": _md("""
            小公司，大问题：让手机在没有网络的地方也能正常工作。
            See [larkspur.example.com](https://example.com/larkspur).
        """),
    },
]

_FINISHED = Item.Status.FINISHED
K = Item.Kind

ITEMS = [
    # 2023: 4 papers (goal: 6), 3 books, code, 3 articles, a course, a talk.
    {
        "kind": K.PAPER,
        "title": "Watermarks Without Tears: Late Data in Streaming Joins",
        "authors": "H. Vale, R. Okonkwo",
        "url": "https://example.com/papers/watermarks-without-tears",
        "started_on": date(2023, 1, 28),
        "finished_on": date(2023, 2, 10),
        "rating": 4,
        "recommended": True,
        "notes": _md("""
            - 迟到数据不是异常，是常态
            - watermark 是一个*承诺*，不是一个时间戳
        """),
    },
    {
        "kind": K.COURSE,
        "title": "Rust for Backend Engineers",
        "authors": "Bramble School",
        "url": "https://example.com/courses/rust-for-backend",
        "started_on": date(2023, 1, 16),
        "finished_on": date(2023, 3, 18),
        "rating": 4,
        "recommended": True,
        "notes": "八周，每周两个晚上。最后的作业就是 logslice 的雏形。",
    },
    {
        "kind": K.BOOK,
        "title": "The Quiet Pipeline",
        "authors": "Dana Whitlock",
        "started_on": date(2023, 2, 20),
        "finished_on": date(2023, 3, 30),
        "rating": 4,
        "recommended": True,
        "notes": "A whole book on backfills, and somehow not boring.",
    },
    {
        "kind": K.TALK,
        "title": "Schema Evolution in Anger",
        "authors": "Yusuf Adebayo-Lind",
        "url": "https://example.com/talks/schema-evolution-in-anger",
        "finished_on": date(2023, 4, 15),
        "notes": "Data Infra Meetup 上听的。没有打分：内容很好，但我只听懂了一半。",
    },
    {
        "kind": K.CODE,
        "title": "sluice — a tiny backpressure library",
        "authors": "Ines Marlow and contributors",
        "url": "https://example.com/code/sluice",
        "started_on": date(2023, 4, 3),
        "finished_on": date(2023, 4, 20),
        "rating": 4,
        "notes": _md("""
            一千行左右，读完刚好一个周末。值得学的是它的错误类型设计：
            每个错误都说明*谁*应该重试。
        """),
    },
    {
        "kind": K.PAPER,
        "title": "增量物化视图的代价模型",
        "authors": "许承泽, 任冬",
        "url": "https://example.com/papers/ivm-cost-model",
        "finished_on": date(2023, 5, 3),
        "rating": 3,
        "notes": "模型很漂亮，但假设更新是均匀分布的——我们的数据从来不是。",
    },
    {
        "kind": K.ARTICLE,
        "title": "写给新人的第一封 code review 信",
        "authors": "陶宁",
        "url": "https://example.com/articles/first-code-review-letter",
        "finished_on": date(2023, 5, 28),
        "rating": 5,
        "recommended": True,
        "notes": "带新人之前一定要读。后来我把它放进了 onboarding 文档。",
    },
    {
        "kind": K.BOOK,
        "title": "Running on Broken Knees",
        "authors": "Oren Pashley",
        "finished_on": date(2023, 6, 28),
        "rating": 3,
        "private": True,
        "notes": "受伤之后读的。康复训练的章节有用，励志的章节跳过了。",
    },
    {
        "kind": K.BOOK,
        "title": "慢慢来的系统",
        "authors": "孟溪",
        "started_on": date(2023, 6, 30),
        "finished_on": date(2023, 7, 15),
        "rating": 5,
        "recommended": True,
        "notes": _md("""
            今年最喜欢的一本书。讲的是系统设计，其实讲的是耐心：

            > 先让它正确，再让它简单，最后才让它快。
        """),
    },
    {
        "kind": K.PAPER,
        "title": "Exactly-Once Is a Budget, Not a Guarantee",
        "authors": "M. Castell",
        "url": "https://example.com/papers/exactly-once-budget",
        "finished_on": date(2023, 8, 19),
        "rating": 5,
        "recommended": True,
        "notes": "读完之后，我们把设计文档里所有的 “exactly-once” 都改成了 “effectively-once”。",
    },
    {
        "kind": K.ARTICLE,
        "title": "How We Stopped Paging Ourselves at 3 AM",
        "authors": "Farrow Ibsen",
        "url": "https://example.com/articles/stop-paging-at-3am",
        "finished_on": date(2023, 9, 5),
        "rating": 4,
        "notes": "稳定性专项的灵感来源之一。",
    },
    {
        "kind": K.PAPER,
        "title": "On the Tail Latency of Object-Store Reads",
        "authors": "P. Lindqvist, S. Aaltonen",
        "url": "https://example.com/papers/object-store-tail-latency",
        "finished_on": date(2023, 11, 2),
        "rating": 4,
    },
    {
        "kind": K.ARTICLE,
        "title": "Tiny Habits for Tired Engineers",
        "authors": "Mara Quill",
        "finished_on": date(2023, 12, 12),
        "rating": 2,
        "private": True,
        "notes": "标题很吸引人，内容很空。",
    },
    # 2024: 6 papers (goal: 6), 5 books (goal: 8), code, an article, a talk, a course.
    {
        "kind": K.PAPER,
        "title": "Cells, Not Clusters: Blast-Radius Isolation at Scale",
        "authors": "A. Morimura, J. Teller",
        "url": "https://example.com/papers/cells-not-clusters",
        "finished_on": date(2024, 1, 25),
        "rating": 5,
        "recommended": True,
        "notes": "The clearest argument I have read for *smaller* failure domains.",
    },
    {
        "kind": K.PAPER,
        "title": "Consistent Hashing Under Churn, Revisited",
        "authors": "L. Banerjee",
        "url": "https://example.com/papers/consistent-hashing-churn",
        "finished_on": date(2024, 3, 8),
        "rating": 3,
    },
    {
        "kind": K.TALK,
        "title": "Kubernetes Operators: The Boring Parts",
        "authors": "Teodor Varga",
        "url": "https://example.com/talks/operators-boring-parts",
        "finished_on": date(2024, 3, 27),
        "rating": 3,
        "notes": "Watched before the migration. The boring parts were, in fact, the hard parts.",
    },
    {
        "kind": K.COURSE,
        "title": "Japanese for Busy Adults, Level 1",
        "authors": "Sakura Lane Academy",
        "started_on": date(2024, 1, 8),
        "finished_on": date(2024, 3, 31),
        "rating": 3,
        "private": True,
        "notes": "上完了第一期。第二期没有报名。",
    },
    {
        "kind": K.BOOK,
        "title": "The Accidental Tech Lead",
        "authors": "Priya Lamont",
        "started_on": date(2024, 4, 1),
        "finished_on": date(2024, 4, 20),
        "rating": 4,
        "recommended": True,
        "notes": _md("""
            Three ideas I kept:

            1. Your calendar is your real job description
            2. Write the decision down, or it was not made
            3. 1:1s belong to the report, not to you
        """),
    },
    {
        "kind": K.PAPER,
        "title": "Leases Revisited for Cloud Schedulers",
        "authors": "K. Oduya, F. Marchetti",
        "url": "https://example.com/papers/leases-revisited",
        "finished_on": date(2024, 5, 17),
        "rating": 4,
    },
    {
        "kind": K.BOOK,
        "title": "东京散步手帖",
        "authors": "森川遥",
        "finished_on": date(2024, 5, 30),
        "rating": 4,
        "notes": "在东京的地铁上读完的。按书里的路线走了谷中一带。",
    },
    {
        "kind": K.BOOK,
        "title": "半程马拉松 16 周计划",
        "authors": "唐跃",
        "finished_on": date(2024, 6, 2),
        "rating": 4,
        "notes": "照着练了 16 周，十月完赛。",
    },
    {
        "kind": K.CODE,
        "title": "harbor-operator (internal) source walk-through",
        "authors": "Northwind Labs platform team",
        "finished_on": date(2024, 7, 22),
        "rating": 4,
        "private": True,
        "notes": "迁移之前把 reconcile loop 从头到尾读了一遍，画了一张状态图。",
    },
    {
        "kind": K.PAPER,
        "title": "列存格式中的字典编码退化问题",
        "authors": "钟亦凡, 柯岚",
        "url": "https://example.com/papers/dictionary-encoding-degradation",
        "finished_on": date(2024, 7, 30),
        "rating": 4,
    },
    {
        "kind": K.BOOK,
        "title": "Platforms as Products",
        "authors": "Gideon Ashcombe",
        "finished_on": date(2024, 8, 11),
        "rating": 3,
        "notes": "Good first half; the second half is a sales pitch.",
    },
    {
        "kind": K.PAPER,
        "title": "The Cost of a Retry",
        "authors": "R. Halvorsen",
        "url": "https://example.com/papers/cost-of-a-retry",
        "finished_on": date(2024, 9, 2),
        "rating": 5,
        "recommended": True,
        "notes": "The paper behind my first tech talk, *Retries Are a Loan*.",
    },
    {
        "kind": K.ARTICLE,
        "title": "Writing Migration Runbooks People Actually Follow",
        "authors": "Bea Lindholm",
        "url": "https://example.com/articles/migration-runbooks",
        "finished_on": date(2024, 10, 5),
        "rating": 4,
        "recommended": True,
    },
    {
        "kind": K.PAPER,
        "title": "Measuring Toil: A Field Study of Platform Teams",
        "authors": "S. Nakagawa-Reid",
        "url": "https://example.com/papers/measuring-toil",
        "finished_on": date(2024, 11, 21),
        "rating": 3,
    },
    {
        "kind": K.BOOK,
        "title": "Small Teams, Long Horizons",
        "authors": "Celia Montrose",
        "started_on": date(2024, 11, 25),
        "finished_on": date(2024, 12, 15),
        "rating": 5,
        "recommended": True,
        "notes": "读完之后开始认真想：五年后我想做什么？",
    },
    {
        "kind": K.BOOK,
        "title": "Category Theory for Tired Programmers",
        "authors": "Wendell Strom",
        "status": Item.Status.ABANDONED,
        "started_on": date(2024, 2, 1),
        "notes": "第三章放弃了。也许以后。",
    },
    # 2025: 6 books (goal: 6), 3 papers, code, an article, a course, a talk.
    {
        "kind": K.CODE,
        "title": "tidewater — 流式 ETL 框架",
        "authors": "tidewater contributors",
        "url": "https://example.com/tidewater",
        "started_on": date(2025, 1, 2),
        "finished_on": date(2025, 1, 30),
        "rating": 4,
        "notes": "为了修那个 off-by-one，把 watermark 模块完整读了一遍。",
    },
    {
        "kind": K.BOOK,
        "title": "离开的艺术",
        "authors": "白苇",
        "finished_on": date(2025, 2, 28),
        "rating": 4,
        "private": True,
        "notes": "在犹豫要不要走的时候读的。",
    },
    {
        "kind": K.COURSE,
        "title": "Distributed Systems Reading Group, Spring Cohort",
        "authors": "Northwind Learning Circle",
        "started_on": date(2025, 2, 3),
        "finished_on": date(2025, 4, 30),
        "rating": 4,
        "notes": "十二周，每周一篇。轮到我讲的是向量时钟。",
    },
    {
        "kind": K.BOOK,
        "title": "家常菜一百道",
        "authors": "何小满",
        "finished_on": date(2025, 5, 10),
        "rating": 4,
        "notes": "番茄牛腩在第 37 页。",
    },
    {
        "kind": K.BOOK,
        "title": "The Second Job Search",
        "authors": "Noor Halvard",
        "finished_on": date(2025, 6, 18),
        "rating": 3,
    },
    {
        "kind": K.ARTICLE,
        "title": "Your First 90 Days at a Startup",
        "authors": "Hollis Brand",
        "url": "https://example.com/articles/first-90-days-startup",
        "finished_on": date(2025, 8, 2),
        "rating": 4,
    },
    {
        "kind": K.PAPER,
        "title": "CRDTs in Production: Five Years of Lessons",
        "authors": "E. Strand, M. Qadir",
        "url": "https://example.com/papers/crdts-in-production",
        "finished_on": date(2025, 8, 25),
        "rating": 5,
        "recommended": True,
        "notes": _md("""
            入职 Larkspur 后读的第一篇。要点：

            - tombstone 一定会变多，先想好怎么回收
            - “最后写入者胜” 几乎总是错的默认值
        """),
    },
    {
        "kind": K.BOOK,
        "title": "Designing Sync Engines",
        "authors": "Maren Holt",
        "started_on": date(2025, 8, 10),
        "finished_on": date(2025, 9, 20),
        "rating": 5,
        "recommended": True,
        "notes": "sync engine 重写时翻得最多的一本书。",
    },
    {
        "kind": K.PAPER,
        "title": "Clock Skew in Mobile Sync",
        "authors": "T. Ferreira-Lau",
        "url": "https://example.com/papers/clock-skew-mobile-sync",
        "finished_on": date(2025, 10, 12),
        "rating": 4,
    },
    {
        "kind": K.BOOK,
        "title": "Offline First, Finally",
        "authors": "Jules Okafor-Brandt",
        "finished_on": date(2025, 10, 30),
        "rating": 4,
        "recommended": True,
    },
    {
        "kind": K.TALK,
        "title": "Local-First Is a Product Decision",
        "authors": "Ada Krevenko",
        "url": "https://example.com/talks/local-first-product-decision",
        "finished_on": date(2025, 11, 15),
        "rating": 5,
        "recommended": True,
        "notes": "给全公司转发了。产品经理也说看懂了。",
    },
    {
        "kind": K.PAPER,
        "title": "基于操作日志的冲突解决综述",
        "authors": "乔安",
        "url": "https://example.com/papers/oplog-conflict-survey",
        "finished_on": date(2025, 11, 20),
        "rating": 3,
    },
    {
        "kind": K.BOOK,
        "title": "一个人的年度",
        "authors": "程静书",
        "finished_on": date(2025, 12, 8),
        "rating": 5,
        "recommended": True,
        "notes": "关于怎样回顾一年。写这份回顾的前一周读完，刚好。",
    },
    # Reading and want-to-read: not finished, so they belong to no year yet.
    {
        "kind": K.BOOK,
        "title": "Formal Methods for the Working Engineer",
        "authors": "Rosalind Achterberg",
        "status": Item.Status.READING,
        "started_on": date(2025, 11, 1),
        "notes": "读到第四章。想用它给 sync 协议写一个小模型。",
    },
    {
        "kind": K.BOOK,
        "title": "城市漫游者",
        "authors": "周南枝",
        "status": Item.Status.READING,
        "started_on": date(2025, 12, 1),
    },
    {
        "kind": K.COURSE,
        "title": "Building Durable Workflows",
        "authors": "Bramble School",
        "url": "https://example.com/courses/durable-workflows",
        "status": Item.Status.WANT,
    },
    {
        "kind": K.PAPER,
        "title": "Model-Checking Sync Protocols on a Laptop",
        "authors": "G. Ivers, N. Sato-Kimball",
        "url": "https://example.com/papers/model-checking-sync",
        "status": Item.Status.WANT,
    },
]

# Goals in the order they are written; "carried_from" names an earlier goal's key.
GOALS = [
    # 2023
    {
        "key": "23-papers",
        "year": 2023,
        "title": "读 6 篇系统方向的论文",
        "description": "每两个月一篇，读完写一页笔记。",
        "status": Goal.Status.PARTIAL,
        "outcome": "读完 4 篇。下半年稳定性专项太忙，读论文的时间被挤掉了。",
        "metric_kind": K.PAPER,
        "metric_target": 6,
    },
    {
        "key": "23-rust",
        "year": 2023,
        "title": "学会 Rust，写一个真正会用的小工具",
        "status": Goal.Status.ACHIEVED,
        "outcome": "写了 `logslice`，团队里有三个人在用。",
    },
    {
        "key": "23-half-marathon",
        "year": 2023,
        "title": "跑完一次半程马拉松",
        "status": Goal.Status.MISSED,
        "outcome": "六月膝盖受伤，整个夏天都在康复。",
    },
    {
        "key": "23-blog",
        "year": 2023,
        "title": "每月写一篇技术博客",
        "status": Goal.Status.DROPPED,
        "outcome": "写了两篇以后发现，我更想把时间花在内部文档上。主动放弃。",
    },
    {
        "key": "23-mentor",
        "year": 2023,
        "title": "带好两位新同事",
        "status": Goal.Status.ACHIEVED,
        "outcome": "两人都在第三周独立上线。onboarding 文档现在是团队的模板。",
    },
    # 2024
    {
        "key": "24-papers",
        "year": 2024,
        "title": "Read 6 papers (second try)",
        "description": "去年只读了 4 篇。This time: every other Friday afternoon, blocked.",
        "status": Goal.Status.ACHIEVED,
        "outcome": "6 papers, exactly. A fixed slot beats *when I have time*.",
        "metric_kind": K.PAPER,
        "metric_target": 6,
        "carried_from": "23-papers",
    },
    {
        "key": "24-half-marathon",
        "year": 2024,
        "title": "Finish a half marathon（去年欠下的）",
        "status": Goal.Status.ACHIEVED,
        "outcome": "2:04:37 in October.",
        "carried_from": "23-half-marathon",
    },
    {
        "key": "24-migration",
        "year": 2024,
        "title": "Move the ingestion platform to Kubernetes",
        "description": _md("""
            - all 32 services
            - no customer-visible downtime
        """),
        "status": Goal.Status.PARTIAL,
        "outcome": "24 of 32 moved, no downtime. The 8 stateful ones slip to 2025.",
    },
    {
        "key": "24-books",
        "year": 2024,
        "title": "Read 8 books",
        "status": Goal.Status.MISSED,
        "outcome": "5. After a day of meetings I read nothing heavier than a menu.",
        "metric_kind": K.BOOK,
        "metric_target": 8,
    },
    {
        "key": "24-japanese",
        "year": 2024,
        "title": "日语考过 N4",
        "status": Goal.Status.DROPPED,
        "outcome": "上完一期课就停了。东京之行证明，我只需要会点菜。",
        "private": True,
    },
    # 2025
    {
        "key": "25-books",
        "year": 2025,
        "title": "读 6 本书（把目标降到现实）",
        "status": Goal.Status.ACHIEVED,
        "outcome": "6 本。降低目标之后，反而读得更开心。",
        "metric_kind": K.BOOK,
        "metric_target": 6,
        "carried_from": "24-books",
    },
    {
        "key": "25-talk",
        "year": 2025,
        "title": "在一次外部技术大会上做分享",
        "status": Goal.Status.ACHIEVED,
        "outcome": "三月，Data Infra Summit，*同步引擎里的时钟问题*。",
    },
    {
        "key": "25-oss",
        "year": 2025,
        "title": "给开源项目贡献 3 个被合并的 PR",
        "status": Goal.Status.PARTIAL,
        "outcome": "[tidewater](https://example.com/tidewater) 合并了 2 个，第 3 个还在 review。",
    },
    {
        "key": "25-tally",
        "year": 2025,
        "title": "把 side project tally 上线",
        "status": Goal.Status.MISSED,
        "outcome": "做到了自己能用，但离上线还很远。换工作后没有精力了。",
    },
    {
        "key": "25-cert",
        "year": 2025,
        "title": "考一个云厂商认证",
        "status": Goal.Status.DROPPED,
        "outcome": "去了小公司以后发现用不上。",
    },
    {
        "key": "25-cooking",
        "year": 2025,
        "title": "学会 10 道家常菜",
        "description": "每月至少一道新菜，记在 [菜谱笔记](https://example.com/recipes) 里。",
        "status": Goal.Status.IN_PROGRESS,
        "outcome": "目前 7 道。",
    },
    {
        "key": "25-sleep",
        "year": 2025,
        "title": "每天 11:30 前睡觉",
        "status": Goal.Status.IN_PROGRESS,
        "outcome": "大概一半的日子做到了。",
        "private": True,
    },
    # 2026, set at the end of 2025
    {
        "key": "26-tally",
        "year": 2026,
        "title": "tally 上线（第二次尝试）",
        "description": "这次先找一位设计师朋友：先画界面，再写代码。",
        "carried_from": "25-tally",
    },
    {
        "key": "26-papers",
        "year": 2026,
        "title": "读 12 篇论文",
        "description": "一个月一篇，重点是 CRDT 和形式化验证。",
        "metric_kind": K.PAPER,
        "metric_target": 12,
    },
    {
        "key": "26-courses",
        "year": 2026,
        "title": "完成 2 门课程",
        "description": "第一门：*Building Durable Workflows*。",
        "metric_kind": K.COURSE,
        "metric_target": 2,
    },
    {
        "key": "26-tech-talks",
        "year": 2026,
        "title": "在 Larkspur 办每月一次的内部 tech talk",
    },
    {
        "key": "26-parents",
        "year": 2026,
        "title": "带爸妈去一次云南",
        "private": True,
    },
]


class Command(BaseCommand):
    help = "Create the fictional user 'demo' and three years of its reviews, once."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the database has no user at all (what `make run` uses).",
        )

    def handle(self, *args, **options) -> None:
        login = f"Demo account ready: user {USERNAME}, password {PASSWORD} — log in at {LOGIN_URL}"
        User = get_user_model()
        if options["if_empty"] and User.objects.exists():
            if User.objects.filter(username=USERNAME).exists():
                self.stdout.write(login)
            else:
                self.stdout.write("The database has users already; no demo account was added.")
            return
        if User.objects.filter(username=USERNAME).exists():
            self.stdout.write("The demo account already exists; nothing changed.")
            self.stdout.write(login)
            return
        with transaction.atomic():
            user = User.objects.create_user(password=PASSWORD, **USER)
            for review in REVIEWS:
                Review.objects.create(owner=user, license=LICENSE, **review)
            for entry in ENTRIES:
                Entry.objects.create(owner=user, **entry)
            for move in CAREER_MOVES:
                CareerMove.objects.create(owner=user, **move)
            for item in ITEMS:
                Item.objects.create(owner=user, **{"status": _FINISHED, **item})
            goals: dict[str, Goal] = {}
            for data in GOALS:
                fields = dict(data)
                key = fields.pop("key")
                carried_from = fields.pop("carried_from", None)
                goals[key] = Goal.objects.create(
                    owner=user,
                    carried_from=goals[carried_from] if carried_from else None,
                    **fields,
                )
        self.stdout.write(self.style.SUCCESS(login))
