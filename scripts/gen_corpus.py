#!/usr/bin/env python3
"""Generate a deterministic synthetic knowledge base of AWS study notes, for benchmarks.

    python3 scripts/gen_corpus.py --notes N --seed S --out DIR [--vocabulary PATH]

Writes N markdown notes under DIR/<folder>/note-NNNNN.md (Korean and English, in the styles real
study notes use: a service per heading, per bold list label or per file; front matter, Obsidian
callouts, tables, fenced code, embeds and links between notes), a few PNG images under DIR/assets/
that the embeds point to, and DIR/planted.tsv: one row per misspelled service name planted in the
notes (path relative to DIR, 1-based line, the text as written, the canonical name it stands
for), after a header row `path<TAB>line<TAB>found<TAB>expected`.

A *mention* is every place the generator writes a service name in a note (headings, labels,
prose, table cells, a front matter title). Exactly round(2% of the mentions) are misspelled, each
in a way kb reports as KB201 (`misspelled-name`): one slip (a transposed, dropped, doubled or
neighbouring-key letter) inside a vendor-prefixed name whose words after the prefix hold at least
10 letters, kept only when the slip is a near miss of exactly one vocabulary service and of
nothing else (checked here against the vocabulary the way kb matches names), or a misspelling the
vocabulary records (`AWS Lamda`).

The summary line on stderr counts notes, bytes, entries (the service entries kb reads: a heading,
a bold label with nested details, or the note itself; `- **Name**: summary` labels are written
too, but kb reads them as overview items, so they are not counted), mentions and planted names.

The same arguments always give byte-identical output: one `random.Random(seed)` stream, sorted
inputs, no clock and no dict-order dependence. Standard library only: the vocabulary is read with
a small parser for the YAML subset `schema/vocabulary/aws.yaml` uses.
"""

from __future__ import annotations

import argparse
import bisect
import math
import random
import struct
import sys
import unicodedata
import zlib
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Vocabulary file (a strict parser for the YAML subset of schema/vocabulary/aws.yaml)
# ---------------------------------------------------------------------------------------------

LIST_KEYS = ("aliases", "abbreviations", "words", "former", "misspellings")
SCALAR_KEYS = ("id", "name", "type", "category", "parent", "retired")


class VocabFormatError(Exception):
    pass


def _scalar(text: str, where: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        inner = text[1:-1]
        if text[0] == '"':
            if "\\" in inner:
                raise VocabFormatError(f"{where}: escapes in quoted strings are not supported")
        else:
            inner = inner.replace("''", "'")
        return inner
    if not text or text[0] in "[]{}&*!|>%@`\"'" or " #" in text:
        raise VocabFormatError(f"{where}: unsupported YAML value {text!r}")
    return text


def _flow_list(text: str, where: str) -> list[str]:
    text = text.strip()
    if not (text.startswith("[") and text.endswith("]")):
        raise VocabFormatError(f"{where}: expected a [flow, list], found {text!r}")
    inner = text[1:-1].strip()
    if not inner:
        return []
    items, current, quote = [], "", None
    for c in inner:
        if quote:
            current += c
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
            current += c
        elif c == ",":
            items.append(current)
            current = ""
        elif c in "[]{}":
            raise VocabFormatError(f"{where}: nested collections are not supported")
        else:
            current += c
    if quote:
        raise VocabFormatError(f"{where}: unclosed quote")
    items.append(current)
    return [_scalar(item, where) for item in items]


def parse_vocabulary(text: str, path: str) -> dict:
    """Read the vocabulary: `version`, `prefixes: [..]`, `services:` as a block list of maps
    whose values are plain or quoted scalars or flow lists."""
    version, prefixes, services = None, None, None
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        where = f"{path}:{number}"
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if not line.startswith(" "):
            key, sep, value = line.partition(":")
            if not sep:
                raise VocabFormatError(f"{where}: expected `key: value`")
            key, value = key.strip(), value.strip()
            if key == "version":
                version = int(_scalar(value, where))
            elif key == "prefixes":
                prefixes = _flow_list(value, where)
            elif key == "services" and not value:
                services = []
            else:
                raise VocabFormatError(f"{where}: unexpected top-level key {key!r}")
            current = None
            continue
        if services is None:
            raise VocabFormatError(f"{where}: indented line outside `services:`")
        body = stripped
        if body.startswith("- "):
            current = {}
            services.append(current)
            body = body[2:].strip()
        elif current is None:
            raise VocabFormatError(f"{where}: expected `- id: ...`")
        key, sep, value = body.partition(":")
        if not sep:
            raise VocabFormatError(f"{where}: expected `key: value`")
        key = key.strip()
        if key in current:
            raise VocabFormatError(f"{where}: key {key!r} repeated")
        if key in LIST_KEYS:
            current[key] = _flow_list(value, where)
        elif key in SCALAR_KEYS:
            current[key] = _scalar(value, where)
        else:
            raise VocabFormatError(f"{where}: unknown service key {key!r}")
    if version != 1 or prefixes is None or not services:
        raise VocabFormatError(f"{path}: needs `version: 1`, `prefixes` and `services`")
    for service in services:
        for key in ("id", "name", "type"):
            if key not in service:
                raise VocabFormatError(f"{path}: service {service!r} has no {key!r}")
        for key in LIST_KEYS:
            service.setdefault(key, [])
    return {"version": version, "prefixes": prefixes, "services": services}


# ---------------------------------------------------------------------------------------------
# Name matching, mirrored from kb-vocab (tokens.rs, matcher.rs) to choose misspellings kb reports
# ---------------------------------------------------------------------------------------------


def is_hangul(c: str) -> bool:
    o = ord(c)
    return (
        0xAC00 <= o <= 0xD7A3
        or 0x1100 <= o <= 0x11FF
        or 0x3130 <= o <= 0x318F
        or 0xA960 <= o <= 0xA97F
        or 0xD7B0 <= o <= 0xD7FF
    )


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded) character ranges: runs of letters/digits or of Hangul; `&` is `and`."""
    tokens = []
    cur_start, cur_cls = None, None
    n = len(text)
    for i, c in enumerate(text):
        if is_hangul(c):
            cls = "h"
        elif c.isalnum():
            cls = "w"
        else:
            cls = None
        decimal = (
            c == "." and i > 0 and text[i - 1].isdigit() and i + 1 < n and text[i + 1].isdigit()
        )
        if cur_cls == "w" and decimal:
            continue
        if cur_cls is not None and cls == cur_cls:
            continue
        if cur_start is not None:
            tokens.append((cur_start, i, fold(text[cur_start:i])))
            cur_start, cur_cls = None, None
        if c == "&":
            tokens.append((i, i + 1, "and"))
        elif cls is not None:
            cur_start, cur_cls = i, cls
    if cur_start is not None:
        tokens.append((cur_start, n, fold(text[cur_start:])))
    return tokens


def fold(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower()


def key_of(text: str) -> str:
    return " ".join(t[2] for t in tokenize(text))


def comparable(key: str) -> tuple:
    out = []
    for c in key:
        if is_hangul(c):
            out.extend(unicodedata.normalize("NFD", c))
        else:
            out.append(c)
    return tuple(out)


def damerau_levenshtein(a, b) -> int:
    """Unrestricted Damerau-Levenshtein distance (strsim's generic_damerau_levenshtein)."""
    la, lb = len(a), len(b)
    if not la:
        return lb
    if not lb:
        return la
    maxdist = la + lb
    h = [[0] * (lb + 2) for _ in range(la + 2)]
    h[0][0] = maxdist
    for i in range(la + 1):
        h[i + 1][0] = maxdist
        h[i + 1][1] = i
    for j in range(lb + 1):
        h[0][j + 1] = maxdist
        h[1][j + 1] = j
    last = {}
    for i in range(1, la + 1):
        db = 0
        ai = a[i - 1]
        for j in range(1, lb + 1):
            k = last.get(b[j - 1], 0)
            l_ = db
            if ai == b[j - 1]:
                cost = 0
                db = j
            else:
                cost = 1
            h[i + 1][j + 1] = min(
                h[i][j] + cost,
                h[i + 1][j] + 1,
                h[i][j + 1] + 1,
                h[k][l_] + (i - k - 1) + 1 + (j - l_ - 1),
            )
        last[ai] = i
    return h[la + 1][lb + 1]


FUZZY_KINDS = {"canonical", "alias", "bare", "former"}


class Vocabulary:
    def __init__(self, data: dict):
        self.prefixes = list(data["prefixes"])
        self.prefix_keys = {key_of(p) for p in self.prefixes}
        self.services = data["services"]
        self.keys: dict[str, list[tuple[int, str]]] = {}
        self.squashed: dict[str, set[str]] = {}
        for index, s in enumerate(self.services):
            words = {key_of(w) for w in s["words"]}
            forms = [("canonical", s["name"])]
            forms += [("alias", a) for a in s["aliases"]]
            forms += [("abbreviation", a) for a in s["abbreviations"]]
            forms += [("word", w) for w in s["words"]]
            forms += [("misspelling", m) for m in s["misspellings"]]
            forms += [("former", f) for f in s["former"]]
            bare = []
            for kind, text in forms:
                if kind in ("canonical", "alias"):
                    rest = self.strip_prefix(text)
                    if rest is not None and key_of(rest) not in words:
                        bare.append(("bare", rest))
            for kind, text in forms + bare:
                key = key_of(text)
                entries = self.keys.setdefault(key, [])
                if any(other != index for other, _ in entries):
                    raise VocabFormatError(f"`{text}` names two services")
                entries.append((index, kind))
                self.squashed.setdefault(key.replace(" ", ""), set()).add(key)
        # Spellings a near miss is measured against (kb leaves out abbreviations, ordinary
        # words and recorded misspellings), by length.
        self.fuzzy = []
        for key in sorted(self.keys):
            for index in sorted({i for i, kind in self.keys[key] if kind in FUZZY_KINDS}):
                chars = comparable(key)
                self.fuzzy.append((len(chars), chars, key, index, len(key.split(" ")), _char_counts(chars)))
        self.fuzzy.sort(key=lambda f: (f[0], f[2], f[3]))
        self.fuzzy_lens = [f[0] for f in self.fuzzy]

    def strip_prefix(self, text: str):
        tokens = tokenize(text)
        if len(tokens) < 2 or tokens[0][2] not in self.prefix_keys:
            return None
        return text[tokens[1][0]:].strip()

    def kinds(self, key: str) -> set[str]:
        return {kind for _, kind in self.keys.get(key, ())}

    def slip_resolves_to(self, written: str, service: int) -> bool:
        """Whether kb resolves `written` as a misspelling of `service` alone, in a heading, a
        label and in prose after its vendor prefix (see matcher.rs and names/mod.rs)."""
        tokens = tokenize(written)
        folded = [t[2] for t in tokens]
        if len(tokens) < 2 or folded[0] not in self.prefix_keys:
            return False
        # Prose: the prefix, then capitalised Latin words separated by one space (at most three).
        if len(tokens) > 4:
            return False
        for a, b in zip(tokens, tokens[1:]):
            if written[a[1]:b[0]] != " ":
                return False
        for t in tokens:
            if not written[t[0]].isascii() or not written[t[0]].isupper():
                return False
        # No part of it may be a name already (prose would match that part instead).
        for i in range(len(folded)):
            for j in range(i + 1, len(folded) + 1):
                if " ".join(folded[i:j]) in self.keys:
                    return False
        # Not a plural of a name, not a name spaced differently.
        last = folded[-1]
        if last.endswith("s"):
            toggled = last[:-1]
        elif last.isalpha():
            toggled = last + "s"
        else:
            toggled = None
        if toggled is not None and " ".join(folded[:-1] + [toggled]) in self.keys:
            return False
        rest = folded[1:]
        if self.squashed.get("".join(rest), set()) - {" ".join(rest)}:
            return False
        if self.squashed.get("".join(folded), set()) - {" ".join(folded)}:
            return False
        # The near miss: one service at the smallest distance, within kb's budget.
        letters = sum(len(comparable(w)) for w in rest)
        if letters <= 5:
            return False
        budget = 1 if letters <= 9 else 2
        key = " ".join(folded)
        chars = comparable(key)
        words = key.split(" ")
        low = bisect.bisect_left(self.fuzzy_lens, len(chars) - budget)
        high = bisect.bisect_right(self.fuzzy_lens, len(chars) + budget)
        best, best_services = None, set()
        counts = _char_counts(chars)
        for _, cand, cand_key, index, ntok, cand_counts in self.fuzzy[low:high]:
            if abs(ntok - len(tokens)) > 1:
                continue
            cand_words = cand_key.split(" ")
            if len(cand_words) == len(words) and not all(
                x[0] == y[0] or is_hangul(x[0]) or is_hangul(y[0]) for x, y in zip(words, cand_words)
            ):
                continue
            # A cheap lower bound before the real distance.
            common = sum(min(v, counts.get(c, 0)) for c, v in cand_counts.items())
            if max(len(chars), len(cand)) - common > budget:
                continue
            d = damerau_levenshtein(chars, cand)
            if d == 0 or d > budget:
                continue
            if best is None or d < best:
                best, best_services = d, {index}
            elif d == best:
                best_services.add(index)
        return best_services == {service}


def _char_counts(chars) -> dict:
    counts: dict = {}
    for c in chars:
        counts[c] = counts.get(c, 0) + 1
    return counts


# Letters next to each other on a QWERTY keyboard (for slips that hit a neighbouring key).
KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def _neighbours(c: str) -> str:
    for r, row in enumerate(KEY_ROWS):
        i = row.find(c)
        if i >= 0:
            out = ""
            if i > 0:
                out += row[i - 1]
            if i + 1 < len(row):
                out += row[i + 1]
            return out
    return ""


def slips(name: str) -> list[str]:
    """One-letter slips inside the words after the vendor prefix; never the first or last letter
    of a word and never a capital, so the name keeps its shape."""
    words = name.split(" ")
    out = []
    for w_index in range(1, len(words)):
        word = words[w_index]
        if len(word) < 4 or not word.isascii() or not word.isalpha():
            continue

        def put(new_word):
            out.append(" ".join(words[:w_index] + [new_word] + words[w_index + 1 :]))

        for j in range(1, len(word) - 1):
            c = word[j]
            if not c.islower():
                continue
            nxt = word[j + 1]
            if j + 1 < len(word) - 1 and nxt.islower() and nxt != c:
                put(word[:j] + nxt + c + word[j + 2 :])  # transposition
            if word[j - 1] != c and nxt != c:
                put(word[:j] + word[j + 1 :])  # a dropped letter
                put(word[:j] + c + word[j:])  # a doubled letter
            for k in _neighbours(c):
                if k != word[j - 1] and k != nxt:
                    put(word[:j] + k + word[j + 1 :])  # the key next to it
    seen, unique = set(), []
    for s in out:
        if s not in seen and s != name:
            seen.add(s)
            unique.append(s)
    return unique


# ---------------------------------------------------------------------------------------------
# What the notes are about
# ---------------------------------------------------------------------------------------------

# Category: (folder, Korean name, English name, Korean things, English things)
CATEGORIES = {
    "Analytics": ("analytics", "분석", "analytics",
                  ["데이터 레이크", "대화형 쿼리", "스트리밍 데이터", "대시보드", "로그 검색", "ETL 작업"],
                  ["data lakes", "interactive queries", "streaming data", "dashboards", "log search", "ETL jobs"]),
    "Application Integration": ("integration", "애플리케이션 통합", "application integration",
                  ["메시지 대기열", "이벤트 라우팅", "워크플로", "알림 발송", "비동기 처리"],
                  ["message queues", "event routing", "workflows", "notifications", "asynchronous processing"]),
    "Blockchain": ("other", "블록체인", "blockchain",
                  ["블록체인 네트워크", "원장 데이터"], ["blockchain networks", "ledger data"]),
    "Business Applications": ("other", "비즈니스 애플리케이션", "business applications",
                  ["고객 상담 센터", "업무용 메일", "협업 도구"], ["contact centers", "business email", "collaboration tools"]),
    # (Not "비용 관리" / "cost management": kb reads services under a heading that says cost,
    # price or 요금 as a price list's captions, not as entries.)
    "Cloud Financial Management": ("management", "클라우드 재무 관리", "cloud financial management",
                  ["비용 보고서", "예산 알림", "사용량 분석", "요금 예측"],
                  ["cost reports", "budget alerts", "usage analysis", "spend forecasts"]),
    "Compute": ("compute", "컴퓨팅", "compute",
                  ["가상 서버", "인스턴스", "배치 작업", "함수 실행", "웹 애플리케이션 호스팅", "고성능 컴퓨팅"],
                  ["virtual servers", "instances", "batch jobs", "function execution", "web app hosting", "high performance computing"]),
    "Containers": ("containers", "컨테이너", "containers",
                  ["컨테이너 오케스트레이션", "컨테이너 이미지", "쿠버네티스 클러스터", "마이크로서비스"],
                  ["container orchestration", "container images", "Kubernetes clusters", "microservices"]),
    "Customer Enablement": ("other", "고객 지원", "customer enablement",
                  ["기술 지원", "교육 과정", "전문가 상담"], ["technical support", "training courses", "expert guidance"]),
    "Databases": ("database", "데이터베이스", "databases",
                  ["관계형 데이터베이스", "키-값 저장소", "인메모리 캐시", "그래프 데이터", "문서 데이터"],
                  ["relational databases", "key-value stores", "in-memory caches", "graph data", "document data"]),
    "Developer Tools": ("devtools", "개발자 도구", "developer tools",
                  ["빌드와 배포", "코드 저장소", "인프라 코드", "분산 추적", "배포 파이프라인"],
                  ["builds and deployments", "code repositories", "infrastructure as code", "distributed tracing", "delivery pipelines"]),
    "End User Computing": ("other", "최종 사용자 컴퓨팅", "end user computing",
                  ["가상 데스크톱", "애플리케이션 스트리밍"], ["virtual desktops", "application streaming"]),
    "Front-End Web & Mobile": ("devtools", "웹과 모바일", "web and mobile",
                  ["모바일 백엔드", "웹 호스팅", "실시간 데이터 동기화"], ["mobile back ends", "web hosting", "real-time data sync"]),
    "Games": ("other", "게임", "games", ["게임 서버", "멀티플레이 세션"], ["game servers", "multiplayer sessions"]),
    "Internet of Things": ("iot", "사물 인터넷", "internet of things",
                  ["디바이스 연결", "센서 데이터", "디바이스 관리", "엣지 처리"],
                  ["device connectivity", "sensor data", "device fleets", "edge processing"]),
    "Machine Learning": ("ml", "머신 러닝", "machine learning",
                  ["모델 학습", "추론 엔드포인트", "이미지 분석", "음성 인식", "텍스트 분석", "생성형 AI"],
                  ["model training", "inference endpoints", "image analysis", "speech recognition", "text analysis", "generative AI"]),
    "Management & Governance": ("management", "관리와 거버넌스", "management and governance",
                  ["모니터링", "감사 로그", "계정 관리", "리소스 구성", "운영 자동화"],
                  ["monitoring", "audit logs", "account management", "resource configuration", "operations automation"]),
    "Media Services": ("other", "미디어", "media",
                  ["동영상 변환", "라이브 스트리밍", "미디어 전송"], ["video transcoding", "live streaming", "media delivery"]),
    "Migration & Transfer": ("migration", "마이그레이션", "migration",
                  ["데이터 이전", "서버 이전", "대용량 전송", "데이터베이스 이전"],
                  ["data migration", "server migration", "bulk transfer", "database migration"]),
    "Networking & Content Delivery": ("networking", "네트워킹", "networking",
                  ["가상 네트워크", "트래픽 분산", "도메인 이름", "콘텐츠 전송", "전용 연결"],
                  ["virtual networks", "load distribution", "domain names", "content delivery", "dedicated links"]),
    "Quantum Technologies": ("other", "양자 컴퓨팅", "quantum computing", ["양자 회로"], ["quantum circuits"]),
    "Robotics": ("other", "로보틱스", "robotics", ["로봇 시뮬레이션"], ["robot simulation"]),
    "Satellite": ("other", "위성", "satellite", ["위성 데이터 수신"], ["satellite downlinks"]),
    "Security, Identity & Compliance": ("security", "보안", "security",
                  ["접근 권한", "암호화 키", "위협 탐지", "인증서", "웹 방화벽", "규정 준수"],
                  ["access control", "encryption keys", "threat detection", "certificates", "web firewalls", "compliance"]),
    "Storage": ("storage", "스토리지", "storage",
                  ["객체 스토리지", "블록 스토리지", "파일 시스템", "백업", "아카이브"],
                  ["object storage", "block storage", "file systems", "backups", "archives"]),
}

# How often a note is mostly about each folder's services.
FOLDER_WEIGHTS = {
    "compute": 3, "storage": 3, "database": 3, "networking": 3, "security": 3, "analytics": 2,
    "ml": 2, "management": 2, "integration": 2, "containers": 2, "devtools": 2, "migration": 1,
    "iot": 1, "other": 1,
}

# Services most notes talk about: drawn more often.
POPULAR = {
    "amazon-s3", "amazon-ec2", "aws-lambda", "aws-iam", "amazon-vpc", "amazon-rds", "amazon-dynamodb",
    "amazon-cloudfront", "amazon-cloudwatch", "amazon-sqs", "amazon-sns", "amazon-ecs", "amazon-eks",
    "amazon-route-53", "elastic-load-balancing", "amazon-ec2-auto-scaling", "aws-cloudformation",
    "amazon-aurora", "amazon-ebs", "amazon-efs", "amazon-api-gateway", "amazon-kinesis", "amazon-athena",
    "aws-glue", "amazon-redshift", "amazon-sagemaker", "amazon-bedrock", "aws-kms", "aws-cloudtrail",
    "aws-config", "amazon-elasticache", "aws-fargate", "amazon-ecr", "aws-step-functions",
    "amazon-eventbridge", "amazon-rekognition", "aws-elastic-beanstalk", "aws-organizations",
    "amazon-guardduty", "aws-waf", "aws-shield", "amazon-cognito", "aws-secrets-manager",
    "aws-systems-manager", "aws-trusted-advisor", "amazon-s3-glacier", "aws-direct-connect",
    "aws-transit-gateway", "amazon-opensearch-service", "amazon-emr", "amazon-quicksight",
    "aws-codepipeline", "aws-codebuild", "aws-codedeploy", "amazon-lightsail", "aws-backup",
    "aws-storage-gateway", "aws-snowball", "aws-dms", "aws-global-accelerator", "amazon-comprehend",
    "amazon-polly", "amazon-transcribe", "amazon-translate", "amazon-textract", "amazon-lex",
    "amazon-macie", "amazon-inspector", "aws-security-hub", "aws-x-ray", "aws-cost-explorer",
}

# ---------------------------------------------------------------------------------------------
# Templates. Slots: {S} the entry's service, {O}/{P} other services, {T} a thing of the
# category, {C} the category's name; `:은` etc. pick the Korean particle that fits the word.
# ---------------------------------------------------------------------------------------------

KO_SUMMARIES = [
    "{T:을} 관리형으로 제공하는 {C} 서비스",
    "{S:은} {T:을} 손쉽게 구성하고 운영하게 해 주는 서비스",
    "{C} 영역에서 {T:을} 맡는 완전 관리형 서비스",
    "서버를 직접 관리하지 않고 {T:을} 쓸 수 있게 해 주는 {C} 서비스",
    "{S:은} {T} 관련 작업을 자동화해 주는 서비스",
    "한마디로 {T:을} 위한 서비스",
    "{T:을} 빠르게 만들고 필요한 만큼 늘릴 수 있는 클라우드 서비스",
    "쓴 만큼만 비용을 내고 {T:을} 이용하는 서비스",
    "{S:은} 온프레미스에서 직접 하던 {T} 운영을 대신 맡아 주는 서비스",
    "{C} 워크로드에서 {T:이} 필요할 때 가장 먼저 떠올리는 서비스",
    "{T:과} 관련된 인프라를 콘솔 몇 번 클릭으로 준비해 주는 서비스",
    "{S:은} {T:을} 안전하고 확장 가능하게 다루기 위한 {C} 서비스",
]

EN_SUMMARIES = [
    "Managed {C} service for {T}.",
    "{S} lets you run {T} without managing the underlying servers.",
    "A fully managed way to build and operate {T}.",
    "Pay-as-you-go {C} service that takes care of {T}.",
    "{S} handles {T} so that teams can focus on their own code.",
    "Cloud service for {T}, billed only for what you use.",
    "The usual choice for {T} on the platform.",
    "{S} is the managed option when a workload needs {T}.",
    "Scales {T} up and down with demand, with no hardware to buy.",
    "Takes the undifferentiated work of running {T} off your hands.",
]

KO_FEATURES = [
    "콘솔이나 명령줄 도구로 몇 분 만에 설정 가능",
    "사용한 만큼만 과금, 선결제 없음",
    "리전 단위로 동작하고 여러 가용 영역에 걸쳐 이중화",
    "{O:과} 연동해서 {T} 처리를 자동화",
    "접근 권한은 정책으로 세밀하게 제어",
    "로그와 지표는 {O:에서} 확인",
    "태그를 붙여서 비용을 팀별로 나눠 볼 수 있음",
    "저장 데이터와 전송 중인 데이터 모두 암호화 지원",
    "{T:을} 늘리거나 줄일 때 다운타임이 거의 없음",
    "온프레미스 환경과 묶어서 하이브리드로 사용 가능",
    "{O:과} {P:을} 함께 쓰는 구성이 흔함",
    "장애가 나도 자동으로 복구되도록 설계됨",
    "서울 리전에서도 바로 사용 가능",
    "요금은 시간당 또는 요청당으로 계산",
    "호출 기록은 {O:에} 남음",
    "{S:은} 다른 서비스에 비해 설정할 것이 적음",
    "처음 설정은 마법사 화면을 따라가면 끝",
    "트래픽이 몰려도 성능이 일정하게 유지됨",
    "버전 관리와 롤백 지원",
    "모니터링 지표를 1분 단위로 수집",
    "프라이빗 서브넷 안에서만 접근하도록 제한 가능",
    "다른 계정과 리소스를 공유할 수 있음",
    "{S:을} 쓰면 운영 부담이 크게 줄어듦",
    "{O:으로} 만든 리소스와도 그대로 연결됨",
    "작은 규모로 시작해서 점점 키워 가기 좋음",
    "설정 값은 템플릿으로 남겨 두면 재사용 편함",
    "이벤트가 생길 때마다 {O:으로} 알림 전송",
    "대시보드에서 상태를 한눈에 확인",
    "서비스 한도는 요청하면 올릴 수 있음",
    "보존 기간을 정해 두면 오래된 데이터는 자동 삭제",
    "{T} 구성을 코드로 관리 가능",
    "**시험에 자주 나옴**",
    "**비용 최적화 문제에 단골로 등장**",
    "**실무에서 가장 많이 쓰는 기능**",
    "비슷한 서비스인 {O:과} 헷갈리지 않게 주의",
    "{P:과} 비교하면 관리 범위가 더 넓음",
]

EN_FEATURES = [
    "Set up in minutes from the console or the command line",
    "Pay only for what you use, no upfront commitment",
    "Runs in a Region and spreads across several Availability Zones",
    "Works with {O} to automate {T}",
    "Fine-grained access control through policies",
    "Metrics and logs show up in {O}",
    "Tags split the bill by team or project",
    "Encryption at rest and in transit",
    "Scales {T} without downtime",
    "Fits hybrid setups with on-premises systems",
    "Often paired with {O} and {P}",
    "Recovers from failures automatically",
    "API activity is recorded in {O}",
    "Less to configure than most alternatives",
    "Keeps steady performance under traffic spikes",
    "Versioning and rollback built in",
    "Collects metrics every minute",
    "Can be kept reachable only from private subnets",
    "Resources can be shared with other accounts",
    "Integrates with resources created by {O}",
    "Start small and grow as the workload grows",
    "Configuration can be kept in templates and reused",
    "Sends a notification through {O} when something changes",
    "A dashboard shows the state at a glance",
    "Limits can be raised on request",
    "Old data can be expired automatically after a retention period",
    "Manage {T} as code",
    "**Shows up a lot in exam questions**",
    "**Common answer for cost optimisation scenarios**",
    "Easy to confuse with {O}: read the question carefully",
    "Compared with {P}, it covers more of the operational work",
]

# Features that depend on the category (keyed by the category's folder).
KO_CATEGORY_FEATURES = {
    "compute": ["인스턴스 유형을 골라서 CPU와 메모리 크기 결정", "부하에 맞춰 대수를 자동으로 조정",
                "중지하면 컴퓨팅 요금도 멈춤", "초 단위 과금"],
    "storage": ["수명 주기 규칙으로 오래된 데이터를 저렴한 계층으로 이동", "스냅샷으로 특정 시점 백업",
                "내구성이 매우 높게 설계됨", "용량 제한 없이 계속 저장 가능"],
    "database": ["자동 백업과 특정 시점 복구 지원", "읽기 전용 복제본으로 읽기 부하 분산",
                 "엔진 패치와 업그레이드를 대신 처리", "밀리초 단위 응답 시간"],
    "networking": ["서브넷과 라우팅 테이블로 트래픽 경로 제어", "엣지 로케이션을 이용해 지연 시간 단축",
                   "상태 확인으로 비정상 대상은 자동 제외", "전용 회선으로 안정적인 대역폭 확보"],
    "security": ["최소 권한 원칙에 맞게 정책 작성", "발견 항목은 심각도별로 분류",
                 "키 교체 주기를 자동으로 관리", "규정 준수 보고서를 바로 내려받기 가능"],
    "analytics": ["서버 없이 표준 SQL로 바로 쿼리", "스캔한 데이터 양으로 과금",
                  "열 기반 형식으로 저장하면 비용 절감", "실시간에 가까운 대시보드 갱신"],
    "ml": ["사전 학습된 모델을 API 호출만으로 사용", "학습 데이터에 레이블을 붙이는 작업 지원",
           "추론 엔드포인트를 자동으로 확장", "GPU 인스턴스로 학습 시간 단축"],
    "management": ["계정 여러 개를 한곳에서 관리", "설정 변경 이력을 자동 기록",
                   "권장 사항을 비용, 보안, 성능 항목별로 제시", "경보 임계값을 넘으면 자동 조치"],
    "devtools": ["저장소에 푸시하면 빌드와 배포가 자동 실행", "블루/그린 배포와 롤링 배포 선택",
                 "빌드 시간만큼만 과금", "요청 경로를 추적해서 병목 지점 확인"],
    "integration": ["표준 대기열과 FIFO 대기열", "실패한 메시지는 별도 대기열로 보내서 분석",
                    "팬아웃 패턴으로 여러 구독자에게 동시 전달", "상태 머신으로 단계별 재시도 정의"],
    "containers": ["태스크 정의로 컨테이너 묶음을 설명", "서버 없이 컨테이너만 실행하는 모드 지원",
                   "원하는 태스크 수를 계속 유지", "이미지 푸시할 때 취약점 스캔"],
    "migration": ["이전하는 동안에도 원본 시스템 계속 운영", "대용량 데이터는 물리 장비로 배송",
                  "이전 진행 상황을 한 화면에서 추적", "스키마 변환 도구 제공"],
    "iot": ["수백만 대 디바이스를 안전하게 연결", "규칙 엔진으로 메시지를 다른 서비스로 전달",
            "오프라인일 때도 엣지에서 로컬 처리", "디바이스 인증서로 상호 인증"],
}

EN_CATEGORY_FEATURES = {
    "compute": ["Pick an instance type to set CPU and memory", "Adds and removes capacity with the load",
                "Stopping an instance stops the compute charge", "Per-second billing"],
    "storage": ["Lifecycle rules move old data to cheaper tiers", "Point-in-time snapshots",
                "Designed for very high durability", "No practical capacity limit"],
    "database": ["Automated backups and point-in-time recovery", "Read replicas spread the read load",
                 "Engine patches and upgrades handled for you", "Millisecond response times"],
    "networking": ["Subnets and route tables decide where traffic goes", "Edge locations cut latency",
                   "Unhealthy targets are taken out of rotation", "Dedicated links give steady bandwidth"],
    "security": ["Write policies with least privilege in mind", "Findings are sorted by severity",
                 "Key rotation is handled on a schedule", "Compliance reports can be downloaded on demand"],
    "analytics": ["Query with standard SQL, no servers", "Billed by the data scanned",
                  "Columnar formats cut the cost of queries", "Dashboards refresh in near real time"],
    "ml": ["Pre-trained models behind a simple API call", "Helps label training data",
           "Inference endpoints scale automatically", "GPU instances shorten training"],
    "management": ["Manage many accounts from one place", "Records every configuration change",
                   "Recommendations grouped by cost, security and performance", "Alarms can trigger automatic actions"],
    "devtools": ["A push to the repository starts a build and a deployment", "Blue/green or rolling deployments",
                 "Billed per build minute", "Traces requests to find the slow step"],
    "integration": ["Standard and FIFO queues", "Failed messages go to a dead-letter queue",
                    "Fan-out delivers one message to many subscribers", "State machines declare retries per step"],
    "containers": ["Task definitions describe a group of containers", "A serverless mode runs containers without hosts",
                   "Keeps the desired number of tasks running", "Scans images for vulnerabilities on push"],
    "migration": ["The source keeps running during the move", "Large data sets travel on physical devices",
                  "Tracks migration progress in one place", "Comes with a tool that converts schemas"],
    "iot": ["Connects millions of devices securely", "A rules engine routes messages to other services",
            "Processes data locally at the edge when offline", "Mutual authentication with device certificates"],
}

KO_SENTENCES = [
    "실습할 때는 {S:을} 먼저 만들고 {O:과} 연결해 보면 흐름이 잘 보인다.",
    "시험에서는 {S:과} {O:을} 구분하는 문제가 자주 나온다.",
    "비용을 줄이려면 {O:을} 같이 검토하는 편이 좋다.",
    "{S:은} 작은 프로젝트에서도 부담 없이 시작할 수 있다.",
    "정리하자면 {T:이} 필요하면 {S}, 그렇지 않으면 {O:을} 고르면 된다.",
    "처음에는 {S:이} 하는 일과 {O:이} 하는 일이 비슷해 보여서 헷갈렸다.",
    "강의에서는 {S:을} {T} 예시로 자주 설명했다.",
    "회사 프로젝트에서는 {O} 앞단에 {S:을} 두는 구성을 썼다.",
    "설정을 잘못하면 요금이 많이 나오니까 알림부터 걸어 두자.",
    "콘솔 화면이 자주 바뀌어서 스크린샷과 다를 수 있다.",
    "{T:을} 직접 운영하던 시절과 비교하면 훨씬 편해졌다.",
    "다음 장에서 {O:을} 자세히 다룬다.",
    "공식 문서의 모범 사례 항목을 한 번 읽어 보는 것을 추천한다.",
    "{S:과} {O:은} 역할이 다르니 같이 쓰는 경우가 많다.",
    "실무에서는 {P:과} 묶어서 쓰는 경우도 많다.",
]

EN_SENTENCES = [
    "In the lab, create {S} first and then connect it to {O} to see the whole flow.",
    "Exam questions often ask you to tell {S} and {O} apart.",
    "To cut costs, look at {O} as well.",
    "{S} is cheap enough to try on a small side project.",
    "In short: if you need {T}, pick {S}; otherwise {O} is usually enough.",
    "At first {S} and {O} looked like they did the same job.",
    "The course used {S} as its main example of {T}.",
    "At work we put {S} in front of {O}.",
    "A wrong setting can get expensive, so set up a billing alarm first.",
    "The console changes often, so the screenshots may look different.",
    "Compared with running {T} yourself, this is far less work.",
    "The next chapter covers {O} in more detail.",
    "The best practices page of the documentation is worth a read.",
    "{S} and {O} do different jobs, which is why they are often used together.",
    "Many teams pair it with {P} as well.",
]

KO_CALLOUTS = [
    ("tip", "{S:은} {O:과} 같이 나오는 문제가 많으니 차이를 정리해 두자."),
    ("note", "요금은 리전마다 조금씩 다르다."),
    ("warning", "삭제한 리소스는 복구할 수 없으니 주의."),
    ("tip", "헷갈리면 {T:을} 누가 관리하는지부터 생각해 보기."),
    ("important", "{S:은} 기본 설정만으로도 충분한 경우가 많다."),
    ("note", "{O} 쪽 설정도 함께 확인해야 한다."),
]

EN_CALLOUTS = [
    ("tip", "Questions often pair {S} with {O}, so note the difference."),
    ("note", "Prices differ a little from Region to Region."),
    ("warning", "Deleted resources cannot be recovered."),
    ("tip", "When in doubt, ask who manages {T}."),
    ("important", "The defaults of {S} are good enough for most workloads."),
    ("note", "Check the settings on the {O} side as well."),
]

KO_SECTIONS = ["요금", "사용 사례", "장점", "주의할 점", "실습 메모", "한계"]
EN_SECTIONS = ["Pricing", "Use cases", "Benefits", "Gotchas", "Lab notes", "Limits"]

KO_SECTION_ITEMS = [
    "작은 규모에서는 거의 무료에 가까움",
    "트래픽이 일정하지 않은 서비스에 적합",
    "한 번 설정하면 손댈 일이 거의 없음",
    "데이터가 많아지면 요금 구조를 다시 확인",
    "실습 후에는 리소스를 꼭 정리",
    "리전을 옮기려면 별도 작업 필요",
    "한도에 걸리면 지원 티켓으로 상향 요청",
    "팀 단위로 권한을 나눠서 운영",
    "{O:과} 함께 쓰면 구성이 단순해짐",
]

EN_SECTION_ITEMS = [
    "Nearly free at small scale",
    "Good for traffic that comes in bursts",
    "Little to touch once it is set up",
    "Revisit the pricing model as data grows",
    "Clean up the lab resources afterwards",
    "Moving to another Region takes extra work",
    "Open a support ticket to raise a limit",
    "Split permissions by team",
    "Simpler setup when combined with {O}",
]

KO_TABLE_HEADERS = [("서비스", "용도", "과금 기준"), ("서비스", "한 줄 설명", "관리 주체")]
EN_TABLE_HEADERS = [("Service", "Use it for", "Billing"), ("Service", "In one line", "Managed by")]
KO_BILLING = ["요청 수", "시간당", "저장 용량", "처리한 데이터 양", "무료", "노드 수"]
EN_BILLING = ["per request", "per hour", "per GB stored", "per GB processed", "free", "per node"]
KO_MANAGED = ["AWS", "사용자", "공동 책임"]
EN_MANAGED = ["the provider", "the customer", "shared"]

CODE_BLOCKS = [
    ("bash", ["aws s3 ls", "aws s3 cp ./report.csv s3://my-study-bucket/reports/"]),
    ("bash", ["aws ec2 describe-instances --region ap-northeast-2 \\",
              "  --filters \"Name=instance-state-name,Values=running\""]),
    ("bash", ["aws lambda list-functions --max-items 10"]),
    ("bash", ["aws sts get-caller-identity"]),
    ("json", ["{", "  \"Version\": \"2012-10-17\",", "  \"Statement\": [{", "    \"Effect\": \"Allow\",",
              "    \"Action\": [\"s3:GetObject\"],", "    \"Resource\": \"arn:aws:s3:::my-study-bucket/*\"",
              "  }]", "}"]),
    ("python", ["import boto3", "", "client = boto3.client(\"sqs\")",
                "resp = client.send_message(QueueUrl=url, MessageBody=\"hello\")", "print(resp[\"MessageId\"])"]),
    ("yaml", ["Resources:", "  StudyBucket:", "    Type: AWS::S3::Bucket", "    Properties:",
              "      VersioningConfiguration:", "        Status: Enabled"]),
    ("python", ["import boto3", "", "ddb = boto3.resource(\"dynamodb\")", "table = ddb.Table(\"notes\")",
                "table.put_item(Item={\"pk\": \"note#1\", \"title\": \"study\"})"]),
    ("bash", ["aws logs tail /aws/lambda/study-fn --follow"]),
    ("text", ["사용자 -> 로드 밸런서 -> 웹 서버 x2 -> 데이터베이스 (다중 AZ)"]),
]

KO_TAGS = ["aws", "cloud", "study", "saa", "clf", "정리"]
EN_TAGS = ["aws", "cloud", "study", "exam-prep", "notes"]

KO_TITLES = ["[AWS] {C} 서비스 정리", "{C} 관련 공부 메모", "SAA 준비 - {C}", "{C} 핵심 요약", "클라우드 스터디 {N}주차 - {C}"]
EN_TITLES = ["{C} services in one page", "Study notes: {C}", "Exam prep - {C}", "{C} cheat sheet", "Week {N}: {C}"]
KO_GROUP_HEADINGS = ["# {C} 관련", "## {C} 서비스", "##### {C} 관련 서비스", "# {N}. {C}", "## {C}"]
EN_GROUP_HEADINGS = ["# {C}", "## {C} services", "# {N}. {C}", "## About {C}"]

ASSETS = [f"diagram-{i:02d}.png" for i in range(1, 9)]


def _parse_template(text: str):
    """A template as ('lit', text) and ('slot', name, particle) parts."""
    parts, i = [], 0
    while i < len(text):
        j = text.find("{", i)
        if j < 0:
            parts.append(("lit", text[i:]))
            break
        if j > i:
            parts.append(("lit", text[i:j]))
        k = text.index("}", j)
        slot, _, particle = text[j + 1 : k].partition(":")
        parts.append(("slot", slot, particle))
        i = k + 1
    return tuple(parts)


def _compile(templates):
    return [_parse_template(t) for t in templates]


C_KO_SUMMARIES = _compile(KO_SUMMARIES)
C_EN_SUMMARIES = _compile(EN_SUMMARIES)
C_KO_FEATURES = _compile(KO_FEATURES)
C_EN_FEATURES = _compile(EN_FEATURES)
C_KO_SENTENCES = _compile(KO_SENTENCES)
C_EN_SENTENCES = _compile(EN_SENTENCES)
C_KO_SECTION_ITEMS = _compile(KO_SECTION_ITEMS)
C_EN_SECTION_ITEMS = _compile(EN_SECTION_ITEMS)
C_KO_CALLOUTS = [(k, _parse_template(t)) for k, t in KO_CALLOUTS]
C_EN_CALLOUTS = [(k, _parse_template(t)) for k, t in EN_CALLOUTS]
C_KO_CAT_FEATURES = {k: _compile(v) for k, v in sorted(KO_CATEGORY_FEATURES.items())}
C_EN_CAT_FEATURES = {k: _compile(v) for k, v in sorted(EN_CATEGORY_FEATURES.items())}

# ---------------------------------------------------------------------------------------------
# Korean particles
# ---------------------------------------------------------------------------------------------

PARTICLES = {  # written form in a template -> (after a final consonant, after a vowel)
    "은": ("은", "는"), "는": ("은", "는"),
    "이": ("이", "가"), "가": ("이", "가"),
    "을": ("을", "를"), "를": ("을", "를"),
    "과": ("과", "와"), "와": ("과", "와"),
    "으로": ("으로", "로"), "로": ("으로", "로"),
    "이란": ("이란", "란"), "란": ("이란", "란"),
}
DIGIT_SOUND = {"0": (True, False), "1": (True, True), "2": (False, False), "3": (True, False),
               "4": (False, False), "5": (False, False), "6": (True, False), "7": (True, True),
               "8": (True, True), "9": (False, False)}


def final_sound(word: str) -> tuple[bool, bool]:
    """(ends in a consonant, that consonant is ㄹ) as a Korean reader says the word."""
    c = word[-1]
    if is_hangul(c) and 0xAC00 <= ord(c) <= 0xD7A3:
        final = (ord(c) - 0xAC00) % 28
        return final != 0, final == 8
    if c.isdigit():
        return DIGIT_SOUND[c]
    if c.isupper():  # an acronym read letter by letter: L (엘), M (엠), N (엔), R (알)
        return c in "LMNR", c in "LR"
    low = word.lower()
    if low.endswith("ng") or c in "mn" or low.endswith("ck") or c == "p":
        return True, False
    if c == "l":
        return True, True
    return False, False


def particle(word: str, written: str) -> str:
    pair = PARTICLES.get(written)
    if pair is None:
        return written
    consonant, rieul = final_sound(word)
    if pair[0] == "으로":
        return "으로" if consonant and not rieul else "로"
    return pair[0] if consonant else pair[1]


# ---------------------------------------------------------------------------------------------
# Services and their written forms
# ---------------------------------------------------------------------------------------------


class Service:
    __slots__ = ("index", "id", "name", "category", "folder", "bare", "abbr", "expansion", "ko",
                 "weight", "slips")

    def __init__(self, index, data, vocab: Vocabulary):
        self.index = index
        self.id = data["id"]
        self.name = data["name"]
        self.category = data.get("category") or "Compute"
        self.folder = CATEGORIES.get(self.category, CATEGORIES["Compute"])[0]
        # Accepted shorter forms: the name without its vendor prefix, or an all-caps abbreviation.
        bare = vocab.strip_prefix(self.name)
        self.bare = bare if bare and bare[0].isupper() and bare != self.name else None
        self.abbr = next((a for a in data["abbreviations"] if a.isupper() and len(a) >= 2), None)
        # `EC2 (Elastic Compute Cloud)`: a long alias with the vendor prefix.
        self.expansion = None
        if self.abbr:
            for alias in data["aliases"]:
                rest = vocab.strip_prefix(alias)
                if rest and len(rest.split()) >= 2 and all(w[0].isupper() for w in rest.split()):
                    self.expansion = rest
                    break
        self.ko = next((a for a in data["aliases"] if all(is_hangul(c) or c == " " for c in a)), None)
        self.weight = 8 if self.id in POPULAR else (2 if data["type"] == "service" else 1)
        self.slips = None  # computed on first use


def usable(data) -> bool:
    """Services notes are written about: current ones with a plainly written name."""
    name = data["name"]
    if data.get("retired"):
        return False
    if any(c in name for c in "()@:"):
        return False
    words = name.split()
    # `Security groups`, `Amazon EBS snapshots`: common-noun features read as prose.
    if any(not (w[0].isupper() or w[0].isdigit()) for w in words if w not in ("for", "and", "on", "in")):
        return False
    if any(w in ("for", "and", "on", "in") for w in words):
        return False
    return len(name) >= 3


class Catalog:
    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.services = [Service(i, d, vocab) for i, d in enumerate(vocab.services) if usable(d)]
        self.by_folder: dict[str, list[Service]] = {}
        for s in self.services:
            self.by_folder.setdefault(s.folder, []).append(s)
        self.folders = sorted(self.by_folder)
        self.cum = list(_cumulative([s.weight for s in self.services]))
        self.folder_cum = {f: list(_cumulative([s.weight for s in pool])) for f, pool in self.by_folder.items()}

    def slips_of(self, service: Service, form: str) -> list[str]:
        """Misspellings of `form` that kb reports as KB201 for this service alone."""
        if service.slips is None:
            service.slips = {}
        if form not in service.slips:
            out = []
            rest = self.vocab.strip_prefix(form)
            if rest is not None and form.split(" ")[0] in self.vocab.prefixes:
                letters = sum(len(t[2]) for t in tokenize(rest))
                if letters >= 10:
                    # A fixed shuffle (seeded by the name, not by --seed), then the first few
                    # slips kb will report: enough variety, little time.
                    candidates = slips(form)
                    random.Random(form).shuffle(candidates)
                    for s in candidates:
                        if self.vocab.slip_resolves_to(s, service.index):
                            out.append(s)
                            if len(out) == MAX_SLIPS:
                                break
                # Misspellings the vocabulary records (`AWS Lamda`), written with this prefix.
                prefix = form.split(" ")[0]
                for m in self.vocab.services[service.index]["misspellings"]:
                    if m.split(" ")[0] == prefix and "misspelling" in self.vocab.kinds(key_of(m)):
                        out.append(m)
            service.slips[form] = out
        return service.slips[form]


MAX_SLIPS = 12
RATE = 0.02  # the share of mentions planted as misspellings


def _cumulative(weights):
    total = 0
    for w in weights:
        total += w
        yield total


# ---------------------------------------------------------------------------------------------
# Building notes
# ---------------------------------------------------------------------------------------------


class Mention:
    """A service name written in a note; `slippable` when it may be planted as a misspelling."""

    __slots__ = ("service", "text", "slippable")

    def __init__(self, service, text, slippable):
        self.service = service
        self.text = text
        self.slippable = slippable


class NoteBuilder:
    def __init__(self, gen, rng: random.Random, lang: str, folder: str, index: int):
        self.gen = gen
        self.rng = rng
        self.lang = lang
        self.folder = folder
        self.index = index
        self.lines: list[list] = []
        self.size = 0
        self.entries = 0
        self.seen: dict[int, set] = {}  # per service: the lines already written about it

    # -- writing ------------------------------------------------------------------------------

    def line(self, *pieces):
        parts = []
        for p in pieces:
            if isinstance(p, (list, tuple)):
                parts.extend(p)
            else:
                parts.append(p)
        self.lines.append(parts)
        self.size += 1 + sum(len(p.encode()) if isinstance(p, str) else len(p.text.encode()) for p in parts)

    def blank(self):
        self.line()

    # -- names --------------------------------------------------------------------------------

    def form(self, s: Service, where: str) -> str:
        r = self.rng.random()
        if where == "prose" and self.lang == "ko" and s.ko and r < 0.04:
            return s.ko
        short = s.abbr if s.abbr and self.rng.random() < 0.5 else s.bare
        if short and r < (0.35 if where == "prose" else 0.3):
            return short
        return s.name

    def mention(self, s: Service, where: str = "prose", form: str | None = None, slippable=True):
        text = form if form is not None else self.form(s, where)
        ok = slippable and text != s.ko and bool(self.gen.catalog.slips_of(s, text))
        return Mention(s, text, ok)

    # -- templates ----------------------------------------------------------------------------

    def fill(self, template, ctx) -> list:
        """Render a template; `ctx` holds S (service), O/P (other services), T, C, N."""
        out = []
        for part in template:
            if part[0] == "lit":
                out.append(part[1])
                continue
            _, slot, written = part
            if slot in ("S", "O", "P"):
                s = ctx[slot]
                m = self.mention(s)
                if written and m.text == s.ko:  # a Korean alias with a particle glued on: use the name
                    m = self.mention(s, form=s.name)
                out.append(m)
                if written:
                    out.append(particle(m.text, written))
            else:
                value = str(ctx[slot])
                out.append(value)
                if written:
                    out.append(particle(value, written))
        return out

    def ctx(self, s: Service, others: list[Service]):
        rng = self.rng
        cat = CATEGORIES.get(s.category, CATEGORIES["Compute"])
        pool = [o for o in others if o.index != s.index]
        picks = []
        for _ in range(2):
            if pool and rng.random() < 0.7:
                o = rng.choice(pool)
            else:
                o = self.gen.pick_service(rng)
            while o.index == s.index or any(o.index == p.index for p in picks):
                o = self.gen.pick_service(rng)
            picks.append(o)
        if self.lang == "ko":
            t, c = rng.choice(cat[3]), cat[1]
        else:
            t, c = rng.choice(cat[4]), cat[2]
        return {"S": s, "O": picks[0], "P": picks[1], "T": t, "C": c, "N": rng.randint(1, 12)}

    def summary(self, s, others):
        bank = C_KO_SUMMARIES if self.lang == "ko" else C_EN_SUMMARIES
        return self.fill(self.rng.choice(bank), self.ctx(s, others))

    def feature(self, s, others):
        rng = self.rng
        if rng.random() < 0.3:
            bank = (C_KO_CAT_FEATURES if self.lang == "ko" else C_EN_CAT_FEATURES).get(s.folder)
            if bank:
                return self.fill(rng.choice(bank), self.ctx(s, others))
        bank = C_KO_FEATURES if self.lang == "ko" else C_EN_FEATURES
        return self.fill(rng.choice(bank), self.ctx(s, others))

    def sentence(self, s, others):
        bank = C_KO_SENTENCES if self.lang == "ko" else C_EN_SENTENCES
        return self.fill(self.rng.choice(bank), self.ctx(s, others))

    def section_item(self, s, others):
        bank = C_KO_SECTION_ITEMS if self.lang == "ko" else C_EN_SECTION_ITEMS
        return self.fill(self.rng.choice(bank), self.ctx(s, others))

    def features(self, s, others, n):
        return self.distinct(self.feature, s, others, n)

    def section_items(self, s, others, n):
        return self.distinct(self.section_item, s, others, n)

    def distinct(self, make, s, others, n):
        """Up to `n` lines from `make`, none reading like another line of the same entry."""
        out = []
        tries = 0
        seen = self.seen.setdefault(s.index, set())
        while len(out) < n and tries < n * 5:
            tries += 1
            f = make(s, others)
            key = "".join(p if isinstance(p, str) else p.text for p in f)
            if key in seen:
                continue
            seen.add(key)
            out.append(f)
        return out

    # -- headings ---------------------------------------------------------------------------

    def entry_name(self, s: Service, style: str) -> list:
        """The name part of an entry heading or label, in one of the ways notes write it."""
        rng = self.rng
        r = rng.random()
        if style == "label":
            return [self.mention(s, "name")]
        if s.abbr and s.expansion and r < 0.12:
            return [self.mention(s, form=s.abbr, slippable=False), " (",
                    self.mention(s, form=s.expansion, slippable=False), ")"]
        if s.bare and r < 0.22:
            return [self.mention(s, form=s.bare, slippable=False), " (",
                    self.mention(s, form=s.name, slippable=False), ")"]
        name = self.mention(s, "name")
        if r < 0.28:
            return [f"{rng.randint(1, 9)}.{rng.randint(1, 9)} ", name]
        if r < 0.32:
            return [name, "  *중요*" if self.lang == "ko" else "  *important*"]
        if r < 0.36 and self.lang == "ko":
            suffix = rng.choice([" 개요", "란?", " 정리"])
            if suffix == "란?":
                suffix = particle(name.text, "란") + "?"
            return [name, suffix]
        if r < 0.36:
            return ["What is ", name, "?"]
        if r < 0.40:
            tag = rng.choice(CATEGORIES.get(s.category, CATEGORIES["Compute"])[3 if self.lang == "ko" else 4])
            return [name, rng.choice([": ", " - "]), tag]
        if r < 0.43:
            return ["[", name, f"](https://aws.amazon.com/{s.id.split('-', 1)[-1]}/)"]
        return [name]

    # -- blocks ---------------------------------------------------------------------------

    def extra_block(self, s, others):
        """Something notes hold besides summaries and features: prose, a callout, a table, code,
        an embed, a link to another note or a small list under a sub-label."""
        rng = self.rng
        r = rng.random()
        ko = self.lang == "ko"
        if r < 0.30:
            for sentence in self.distinct(self.sentence, s, others, rng.randint(1, 2)):
                self.line(*sentence)
        elif r < 0.42:
            kind, tmpl = rng.choice(C_KO_CALLOUTS if ko else C_EN_CALLOUTS)
            self.line(f"> [!{kind}]")
            self.line("> ", *self.fill(tmpl, self.ctx(s, others)))
        elif r < 0.50:
            head = rng.choice(KO_TABLE_HEADERS if ko else EN_TABLE_HEADERS)
            self.line("| " + " | ".join(head) + " |")
            self.line("| --- | --- | --- |")
            pool = [o for o in others if o.index != s.index]
            rows = [s] + rng.sample(pool, min(len(pool), rng.randint(1, 3)))
            for o in rows:
                cat = CATEGORIES.get(o.category, CATEGORIES["Compute"])
                use = rng.choice(cat[3] if ko else cat[4])
                third = rng.choice((KO_BILLING if ko else EN_BILLING) if head[2] in ("과금 기준", "Billing")
                                   else (KO_MANAGED if ko else EN_MANAGED))
                self.line("| ", self.mention(o), f" | {use} | {third} |")
        elif r < 0.60:
            lang, body = rng.choice(CODE_BLOCKS)
            self.line(f"```{lang}")
            for b in body:
                self.line(b)
            self.line("```")
        elif r < 0.72:
            asset = rng.choice(ASSETS)
            if rng.random() < 0.5:
                self.line(f"![[assets/{asset}]]" if rng.random() < 0.5 else f"![[{asset}]]")
            else:
                alt = rng.choice(["구성도", "아키텍처", "콘솔 화면"] if ko else ["diagram", "architecture", "console"])
                self.line(f"![{alt}](assets/{asset})")
        elif r < 0.82:
            target, folder = self.gen.link_target(rng, self.index)
            if rng.random() < 0.5:
                text = rng.choice(["관련 메모", "이전 정리", "참고"] if ko else ["Related", "See also", "Previous notes"])
                self.line(f"{text}: [[{target}]]")
            else:
                label = rng.choice(["앞 장 정리", "관련 노트"] if ko else ["the previous chapter", "a related note"])
                self.line(f"[{label}](../{folder}/{target}.md)")
        else:
            items = self.section_items(s, others, rng.randint(2, 3))
            if not items:
                return
            self.line("- " + rng.choice(KO_SECTIONS if ko else EN_SECTIONS))
            for item in items:
                self.line("  - ", *item)
        self.blank()


class Generator:
    def __init__(self, catalog: Catalog, notes: int, rng: random.Random):
        self.catalog = catalog
        self.notes = notes
        self.plan = []
        folders = [f for f in catalog.folders if f in FOLDER_WEIGHTS]
        cum = list(_cumulative([FOLDER_WEIGHTS[f] for f in folders]))
        for i in range(notes):
            folder = folders[bisect.bisect_right(cum, rng.random() * cum[-1])]
            self.plan.append((folder, rng.getrandbits(64)))

    def pick_service(self, rng, folder=None) -> Service:
        if folder is not None:
            pool, cum = self.catalog.by_folder[folder], self.catalog.folder_cum[folder]
        else:
            pool, cum = self.catalog.services, self.catalog.cum
        return pool[bisect.bisect_right(cum, rng.random() * cum[-1])]

    def link_target(self, rng, index):
        j = rng.randrange(self.notes)
        if j == index:
            j = (j + 1) % self.notes
        return f"note-{j:05d}", self.plan[j][0]

    def pick_services(self, rng, folder, n) -> list[Service]:
        chosen: list[Service] = []
        seen = set()
        pool = self.catalog.by_folder[folder]
        local = min(len(pool), max(1, round(n * 0.6)))
        tries = 0
        while len(chosen) < n and tries < n * 50:
            tries += 1
            s = self.pick_service(rng, folder if len(chosen) < local else None)
            if s.index in seen:
                continue
            seen.add(s.index)
            chosen.append(s)
        return chosen

    # -- one note -------------------------------------------------------------------------

    def note(self, index: int):
        folder, note_seed = self.plan[index]
        rng = random.Random(note_seed)
        lang = "ko" if rng.random() < 0.6 else "en"
        r = rng.random()
        style = ("vault" if r < 0.13 else "blog" if r < 0.30 else "labels" if r < 0.52
                 else "study" if r < 0.72 else "lecture")
        target = int(min(29000, max(1100, math.exp(rng.gauss(math.log(5750), 0.6)))))
        n = max(1, min(22, round(target / 680 * rng.uniform(0.75, 1.25))))
        n = min(n, max(1, (target - 300) // 330))
        services = self.pick_services(rng, folder, n)
        b = NoteBuilder(self, rng, lang, folder, index)
        front = style in ("vault", "blog") or rng.random() < 0.06
        getattr(self, "_" + style)(b, services, front, target)
        return folder, b

    def _front_matter(self, b: NoteBuilder, title_pieces, tags, jekyll=False):
        rng = b.rng
        y, m, d = rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28)
        b.line("---")
        if jekyll:
            b.line("layout: post")
        if title_pieces is not None:
            b.line("title: ", *title_pieces)
        if jekyll:
            b.line(f"date: {y}-{m:02d}-{d:02d} {rng.randint(8, 23):02d}:{rng.randint(0, 59):02d}:00 +0900")
            b.line("tags: [" + ", ".join(tags) + "]")
            b.line("comments: true")
        else:
            b.line(f"date: {y}-{m:02d}-{d:02d}")
            b.line("tags:")
            for t in tags:
                b.line(f"  - {t}")
        b.line("---")
        b.blank()

    def _title(self, b: NoteBuilder, folder_cat):
        """A note title (YAML-quoted when it needs to be) that names no service."""
        rng = b.rng
        cat = CATEGORIES[folder_cat]
        tmpl = rng.choice(KO_TITLES if b.lang == "ko" else EN_TITLES)
        title = tmpl.replace("{C}", cat[1] if b.lang == "ko" else cat[2]).replace("{N}", str(rng.randint(1, 12)))
        return title[0].upper() + title[1:]

    @staticmethod
    def _yaml(value: str) -> str:
        if value[0] in "[]{}&*!|>%@`\"'#,?:-" or ": " in value or " #" in value:
            return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return value

    def _tags(self, b: NoteBuilder, s: Service):
        rng = b.rng
        base = KO_TAGS if b.lang == "ko" else EN_TAGS
        tags = sorted(set(rng.sample(base, 2)) | {s.folder})
        return tags

    def _fill_to(self, b: NoteBuilder, target, body):
        """Call body() until the note reaches its target size (never past 30 KB)."""
        guard = 0
        while b.size < target and b.size < 28500 and guard < 400:
            guard += 1
            body()

    def _groups(self, b, services):
        """Split the entries into category groups as notes do."""
        rng = b.rng
        k = 1 if len(services) < 3 else rng.randint(1, min(4, len(services) // 2))
        cut = sorted(rng.sample(range(1, len(services)), k - 1)) if k > 1 else []
        out, start = [], 0
        for c in cut + [len(services)]:
            out.append(services[start:c])
            start = c
        return out

    def _group_heading(self, b, group, n):
        rng = b.rng
        cat = CATEGORIES.get(group[0].category, CATEGORIES["Compute"])
        tmpl = rng.choice(KO_GROUP_HEADINGS if b.lang == "ko" else EN_GROUP_HEADINGS)
        return tmpl.replace("{C}", cat[1] if b.lang == "ko" else cat[2].capitalize()).replace("{N}", str(n))

    # -- styles ---------------------------------------------------------------------------

    def _lecture(self, b: NoteBuilder, services, front, target):
        """Category headings, `## Name` entries, a summary bullet and a numbered 특징 list."""
        rng = b.rng
        if front:
            self._front_matter(b, [self._yaml(self._title(b, services[0].category))], self._tags(b, services[0]))
        per_entry = max(0, (target - b.size - 400 * len(services)) // max(1, len(services)))
        indent = "\t" if rng.random() < 0.6 else "  "
        for gi, group in enumerate(self._groups(b, services)):
            b.line("___")
            b.line(self._group_heading(b, group, gi + 1))
            b.blank()
            for s in group:
                start = b.size
                b.line("## ", *b.entry_name(s, "heading"))
                b.line("- ", *b.summary(s, services))
                b.line("- " + ("특징" if b.lang == "ko" else "Features"))
                feats = b.features(s, services, rng.randint(2, 4))
                for i, f in enumerate(feats, 1):
                    b.line(f"{indent}{i}. ", *f)
                i = len(feats)
                while b.size - start < per_entry * 0.5 + 400 and b.size < 28000 and i < 12:
                    more = b.features(s, services, 1)
                    if not more:
                        break
                    i += 1
                    b.line(f"{indent}{i}. ", *more[0])
                b.blank()
                while b.size - start < per_entry + 400 and b.size < 28000:
                    b.extra_block(s, services)
                b.blank()
                b.entries += 1
        self._fill_to(b, target, lambda: b.extra_block(rng.choice(services), services))

    def _blog(self, b: NoteBuilder, services, front, target):
        """Jekyll front matter, `## Name`, an expansion line, a blockquote and a POINT section."""
        rng = b.rng
        self._front_matter(b, ['"' + self._title(b, services[0].category) + '"'],
                           ["AWS"] + (["Cloud"] if rng.random() < 0.5 else []), jekyll=True)
        per_entry = max(0, (target - b.size - 420 * len(services)) // max(1, len(services)))
        for gi, group in enumerate(self._groups(b, services)):
            b.line(self._group_heading(b, group, gi + 1).replace("#####", "#").replace("##", "#"))
            b.blank()
            for s in group:
                b.line("## ", *b.entry_name(s, "heading"))
                b.blank()
                if s.expansion and rng.random() < 0.5:
                    b.line(":cloud: ", b.mention(s, form=s.expansion, slippable=False))
                    b.blank()
                b.line("> ", *b.summary(s, services))
                if rng.random() < 0.4:
                    b.line(">")
                    b.line("> ", *b.sentence(s, services))
                b.blank()
                for f in b.features(s, services, rng.randint(2, 4)):
                    b.line("- ", *f)
                b.blank()
                if rng.random() < 0.6:
                    b.line("#### :heavy_check_mark: POINT")
                    b.blank()
                    for f in b.features(s, services, rng.randint(1, 3)):
                        b.line("- ", *f)
                    b.blank()
                start = b.size
                while b.size - start < per_entry and b.size < 28000:
                    b.extra_block(s, services)
                b.blank()
                b.entries += 1
        self._fill_to(b, target, lambda: b.extra_block(rng.choice(services), services))

    def _labels(self, b: NoteBuilder, services, front, target):
        """Category headings with `- **Name**` list items holding summary and features."""
        rng = b.rng
        if front:
            self._front_matter(b, [self._yaml(self._title(b, services[0].category))], self._tags(b, services[0]))
        marker = rng.choice(["-", "-", "*", "+"])
        sub = rng.choice(["-", "*"]) if marker != "-" else "-"
        indent = rng.choice(["  ", "  ", "    ", "\t"])
        per_entry = max(0, (target - b.size - 360 * len(services)) // max(1, len(services)))
        for gi, group in enumerate(self._groups(b, services)):
            b.line(self._group_heading(b, group, gi + 1))
            b.blank()
            if rng.random() < 0.4:
                b.line(*b.sentence(group[0], services))
                b.blank()
            for s in group:
                name = b.entry_name(s, "label")
                # `- **Amazon SQS**: summary` + bullets: kb (like the seed labels) reads a label
                # with text after it as an overview item with mentions, not as an entry.
                inline_summary = rng.random() < 0.2
                if inline_summary:
                    b.line(f"{marker} **", *name, "**: ", *b.summary(s, services))
                else:
                    b.line(f"{marker} **", *name, "**")
                    b.line(f"{indent}{sub} ", *b.summary(s, services))
                for f in b.features(s, services, rng.randint(2, 4)):
                    b.line(f"{indent}{sub} ", *f)
                start = b.size
                while b.size - start < per_entry and b.size < 28000:
                    more = b.features(s, services, 1)
                    if not more:
                        break
                    b.line(f"{indent}{sub} ", *more[0])
                    for item in b.section_items(s, services, 1 if rng.random() < 0.3 else 0):
                        b.line(f"{indent}{indent}{sub} ", *item)
                b.entries += not inline_summary
            b.blank()
            if rng.random() < 0.5:
                b.extra_block(rng.choice(group), services)
        self._fill_to(b, target, lambda: b.extra_block(rng.choice(services), services))

    def _study(self, b: NoteBuilder, services, front, target):
        """`### Name`, a paragraph or callout summary, bullets, sections, tables and code."""
        rng = b.rng
        if front:
            self._front_matter(b, [self._yaml(self._title(b, services[0].category))], self._tags(b, services[0]))
        if rng.random() < 0.5:
            b.line("# " + self._title(b, services[0].category))
            b.blank()
        if b.lang == "ko" and rng.random() < 0.3:
            b.line("#AWS #공부")
            b.blank()
        per_entry = max(0, (target - b.size - 380 * len(services)) // max(1, len(services)))
        for s in services:
            b.line("### ", *b.entry_name(s, "heading"))
            b.blank()
            r = rng.random()
            if r < 0.5:
                b.line(*b.summary(s, services))
            elif r < 0.75:
                b.line("> [!Definition] ", *b.summary(s, services))
            else:
                b.line("> ", *b.summary(s, services))
            b.blank()
            for f in b.features(s, services, rng.randint(2, 5)):
                b.line("- ", *f)
            b.blank()
            start = b.size
            while b.size - start < per_entry and b.size < 28000:
                if rng.random() < 0.35:
                    sec = rng.choice(KO_SECTIONS if b.lang == "ko" else EN_SECTIONS)
                    b.line(f"#### {sec}")
                    b.blank()
                    for item in b.section_items(s, services, rng.randint(1, 3)):
                        b.line("- ", *item)
                    b.blank()
                else:
                    b.extra_block(s, services)
            b.entries += 1
        self._fill_to(b, target, lambda: b.extra_block(rng.choice(services), services))

    def _vault(self, b: NoteBuilder, services, front, target):
        """One service per file: the front matter title names it, a callout defines it, other
        services get entries of their own inside it."""
        rng = b.rng
        own, others = services[0], services[1:]
        title = b.mention(own, "name", slippable=False)
        self._front_matter(b, [title], self._tags(b, own))
        b.entries += 1
        b.line("> [!Definition] ", *b.summary(own, services))
        b.blank()
        for f in b.features(own, services, rng.randint(3, 5)):
            b.line("- ", *f)
        b.blank()
        per_entry = max(0, (target - b.size - 600 - 360 * len(others)) // max(1, len(services)))
        sections = list(KO_SECTIONS if b.lang == "ko" else EN_SECTIONS)
        rng.shuffle(sections)
        for i, s in enumerate(others):
            if sections and rng.random() < 0.5:
                b.line(f"## {sections.pop()}")
                b.blank()
                for item in b.section_items(own, services, rng.randint(1, 3)):
                    b.line("- ", *item)
                b.blank()
            b.line("## ", *b.entry_name(s, "heading"))
            b.blank()
            b.line("- ", *b.summary(s, services))
            for f in b.features(s, services, rng.randint(1, 3)):
                b.line("- ", *f)
            b.blank()
            start = b.size
            while b.size - start < per_entry and b.size < 27500:
                b.extra_block(s, services)
            b.entries += 1
        if sections:
            b.line(f"## {sections.pop()}")
            b.blank()
            for item in b.section_items(own, services, rng.randint(1, 3)):
                b.line("- ", *item)
            b.blank()
        self._fill_to(b, min(target, 27500), lambda: b.extra_block(own, services))
        b.blank()
        b.line("---")
        b.line("Links:" if b.lang == "en" else "링크:")
        b.blank()
        for _ in range(rng.randint(1, 3)):
            target_note, _f = self.link_target(rng, b.index)
            b.line(f"[[{target_note}]]")


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A valid truecolour PNG, filled with one colour, with a lighter diagonal."""
    rows = []
    for y in range(height):
        row = bytearray(b"\x00")
        for x in range(width):
            row += bytes(min(255, c + 90) for c in rgb) if x == y % width else bytes(rgb)
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def render(lines) -> tuple[str, list]:
    """The note text and, for each mention, (char offset, line, Mention)."""
    out = []
    mentions = []
    pos = 0
    for number, parts in enumerate(lines, 1):
        for p in parts:
            if isinstance(p, str):
                out.append(p)
                pos += len(p)
            else:
                mentions.append((pos, number, p))
                out.append(p.text)
                pos += len(p.text)
        out.append("\n")
        pos += 1
    return "".join(out), mentions


def clear_previous(out: Path, catalog: Catalog) -> None:
    """Make `out` ready: a new or empty folder, or one holding an earlier corpus, whose files
    are removed so that the new one is exactly what this run writes. Anything else is refused."""
    if not out.exists():
        return
    if not out.is_dir():
        raise OSError(f"{out} is not a folder")
    if not any(out.iterdir()):
        return
    if not (out / "planted.tsv").is_file():
        raise OSError(f"{out} is not empty and holds no earlier corpus (no planted.tsv); "
                      "choose a new or empty folder")
    for folder in sorted(set(catalog.folders) | {"assets"}):
        sub = out / folder
        if not sub.is_dir():
            continue
        for f in sorted(sub.iterdir()):
            name = f.name
            ours = (folder == "assets" and name.startswith("diagram-") and name.endswith(".png")) or (
                name.startswith("note-") and name.endswith(".md") and name[5:-3].isdigit())
            if ours and f.is_file():
                f.unlink()
        if not any(sub.iterdir()):
            sub.rmdir()
    (out / "planted.tsv").unlink()


def main(argv=None) -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--notes", type=int, required=True, help="how many notes to write")
    ap.add_argument("--seed", type=int, required=True, help="random seed")
    ap.add_argument("--out", required=True, help="output folder: new, empty, or an earlier corpus (which is replaced)")
    ap.add_argument("--vocabulary", default=str(here.parent / "schema" / "vocabulary" / "aws.yaml"),
                    help="vocabulary file (default: schema/vocabulary/aws.yaml)")
    args = ap.parse_args(argv)
    if args.notes < 1:
        ap.error("--notes must be at least 1")

    try:
        text = Path(args.vocabulary).read_text(encoding="utf-8")
        vocab = Vocabulary(parse_vocabulary(text, args.vocabulary))
    except (OSError, VocabFormatError) as error:
        print(f"gen_corpus: cannot read the vocabulary: {error}", file=sys.stderr)
        return 2

    catalog = Catalog(vocab)
    rng = random.Random(args.seed)
    gen = Generator(catalog, args.notes, rng)

    notes = []  # (relative path, text, slippable mentions as (offset, line, Mention))
    total_mentions = 0
    entries = 0
    for i in range(args.notes):
        folder, b = gen.note(i)
        text, mentions = render(b.lines)
        total_mentions += len(mentions)
        entries += b.entries
        notes.append((f"{folder}/note-{i:05d}.md", text, [m for m in mentions if m[2].slippable]))

    # Plant the misspellings: exactly round(2% of the mentions), chosen among the slippable ones.
    planted_count = int(math.floor(RATE * total_mentions + 0.5))
    pool = [(n, k) for n, note in enumerate(notes) for k in range(len(note[2]))]
    if planted_count > len(pool):
        print(f"gen_corpus: only {len(pool)} mentions can be misspelled, {planted_count} needed",
              file=sys.stderr)
        return 2
    chosen = sorted(rng.sample(pool, planted_count))
    by_note: dict[int, list[int]] = {}
    for n, k in chosen:
        by_note.setdefault(n, []).append(k)

    out = Path(args.out)
    try:
        clear_previous(out, catalog)
    except OSError as error:
        print(f"gen_corpus: {error}", file=sys.stderr)
        return 2
    (out / "assets").mkdir(parents=True, exist_ok=True)
    colours = [(40, 90, 160), (200, 120, 30), (30, 140, 90), (150, 40, 120),
               (90, 90, 90), (20, 120, 150), (170, 60, 50), (110, 100, 30)]
    for i, name in enumerate(ASSETS):
        (out / "assets" / name).write_bytes(png(8 + i * 4, 6 + i * 2, colours[i]))

    planted_rows = []
    total_bytes = 0
    for n, (rel, text, slippable) in enumerate(notes):
        edits = []
        for k in by_note.get(n, ()):
            offset, line, m = slippable[k]
            wrong = rng.choice(catalog.slips_of(m.service, m.text))
            edits.append((offset, m.text, wrong))
            planted_rows.append((rel, line, offset, wrong, m.service.name))
        for offset, right, wrong in sorted(edits, reverse=True):
            assert text[offset:offset + len(right)] == right
            text = text[:offset] + wrong + text[offset + len(right):]
        data = text.encode("utf-8")
        total_bytes += len(data)
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    planted_rows.sort()
    with open(out / "planted.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("path\tline\tfound\texpected\n")
        for rel, line, _offset, wrong, canonical in planted_rows:
            f.write(f"{rel}\t{line}\t{wrong}\t{canonical}\n")

    print(f"gen_corpus: {args.notes} notes, {total_bytes} bytes, {entries} entries, "
          f"{total_mentions} mentions, {planted_count} planted", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
