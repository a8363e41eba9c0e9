"""A generated news corpus with planted syndication, for bench/near_dup.py.

Invented Indonesian-looking text, cheap to make: sentences mix a common word list,
stock phrases every outlet uses ("aparatur sipil negara", "kata dia") and a large
Zipf-distributed pseudo-word vocabulary, so unrelated articles share some shingles
the way real ones do.

Each story has an original and 0-4 copies at one of several edit levels (what
syndicating outlets really do to a Diskominfo press release). Hard negatives sit
beside them: another outlet's own report of the same event (same names, place and
date, one identical quoted sentence), a report on another event by the same
official (the case of seeds 000 and 001), and a follow-up that repeats one or two
of the story's paragraphs as a recap. Background articles fill the rest.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

COMMON = (
    "yang dan di ke dari untuk dengan dalam pada ini itu akan tidak juga oleh sebagai para telah "
    "masih sudah agar bisa harus kami kita mereka ia dia saat setelah sebelum karena namun serta "
    "atau bahwa hingga jika tersebut menjadi bagi antara lebih sangat terus kembali secara seluruh "
    "pihak daerah kabupaten kota provinsi pemerintah masyarakat warga kegiatan pelaksanaan tahun "
    "hari pekan bulan kantor lapangan jalan desa kecamatan kepala dinas badan ketua anggota"
).split()
STOCK = [
    "aparatur sipil negara", "menjaga netralitas", "kata dia kepada wartawan", "dalam pelaksanaan pemilu 2024",
    "pilkada serentak 27 november 2024", "sesuai dengan aturan yang berlaku", "di lingkungan pemerintah kabupaten",
    "politik praktis", "badan pengawas pemilu", "ujarnya saat dikonfirmasi", "pada kesempatan tersebut",
    "pelayanan publik", "komisi pemilihan umum", "pasangan calon", "demi terciptanya suasana yang kondusif",
]
SYLL = ["ba", "ka", "ra", "ma", "na", "ta", "sa", "la", "pe", "ke", "ti", "ri", "ng", "lu", "mu", "an", "in",
        "ak", "em", "bu", "di", "wa", "ja", "ha", "go", "su", "tu", "per", "ber", "men"]
FIRST = ["Hani", "Erwin", "Rina", "Ahmad", "Siti", "Budi", "Dedi", "Yani", "Rahmat", "Sri", "Agus", "Fitri",
         "Joko", "Nur", "Iwan", "Dewi", "Hendra", "Maya", "Rudi", "Lina"]
LAST = ["Syahputra", "Rustam", "Ibrahim", "Marlina", "Heriyanto", "Saputra", "Wijaya", "Lestari", "Hidayat",
        "Pratama", "Kusuma", "Nasution", "Siregar", "Harahap", "Lubis", "Gultom"]
ROLE = ["Pj Bupati", "Sekda", "Kepala BKPSDM", "Ketua Bawaslu", "Camat", "Asisten I", "Kadis Kominfo",
        "Wakil Bupati", "Ketua KPU"]
PLACE = ["Banyuasin", "Muara Enim", "Lahat", "Prabumulih", "OKU Timur", "Musi Rawas", "Ogan Ilir", "Pagar Alam",
         "Empat Lawang", "Lubuklinggau", "Barito Kuala", "Balangan", "Tanah Laut", "Kotabaru"]
OUTLETS = ["sumeks", "jejakrekam", "detik-sumbagsel", "palpos", "tribunsumsel", "kaltimpost", "banjarhits",
           "radarpalembang"]
LEVELS = ("verbatim", "light", "intro", "intro_outro", "intro_outro_light", "trimmed")


@dataclass
class Doc:
    key: str
    story: str  # ground truth: documents with the same story are copies of one text
    kind: str  # original | copy:<level> | same_event | same_official | background
    site: str
    published_at: str
    text: str
    paragraphs: list[str] = field(default_factory=list, repr=False)


class Writer:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        vocab: set[str] = set()
        while len(vocab) < 20000:
            vocab.add("".join(self.rng.choice(SYLL) for _ in range(self.rng.randint(2, 4))))
        self.vocab = sorted(vocab)
        self.rng.shuffle(self.vocab)
        # Zipf-ish weights: a few words are everywhere, most are rare.
        self.cum: list[float] = []
        total = 0.0
        for i in range(len(self.vocab)):
            total += 1.0 / (i + 10)
            self.cum.append(total)

    def word(self) -> str:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(COMMON)
        return self.rng.choices(self.vocab, cum_weights=self.cum)[0]

    def sentence(self, names: list[str] | None = None) -> str:
        n = self.rng.randint(9, 20)
        words = [self.word() for _ in range(n)]
        if self.rng.random() < 0.5:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(STOCK))
        if names and self.rng.random() < 0.4:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(names))
        s = " ".join(words)
        return s[0].upper() + s[1:] + "."

    def paragraph(self, names: list[str] | None = None) -> str:
        return " ".join(self.sentence(names) for _ in range(self.rng.randint(2, 3)))

    def light_edit(self, text: str, rate: float = 0.05) -> str:
        words = text.split(" ")
        out = []
        for w in words:
            r = self.rng.random()
            if r < rate / 2:
                out.append(self.word())  # a word replaced
            elif r < rate * 0.75:
                continue  # a word dropped
            elif r < rate:
                out.extend([w, self.word()])  # a word added
            else:
                out.append(w)
        return " ".join(out)


def _date(rng: random.Random, base_day: int, hours_later: int = 0) -> str:
    day = base_day + hours_later // 24
    hour = 7 + (hours_later % 24) % 14
    month, dom = 1 + (day // 28) % 12, 1 + day % 28
    return f"2024-{month:02d}-{dom:02d}T{hour:02d}:{rng.randint(0, 59):02d}:00+07:00"


def _copy(w: Writer, paras: list[str], level: str, place: str, names: list[str]) -> list[str]:
    p = list(paras)
    dateline = f"{place.upper()}, {w.rng.choice(OUTLETS).upper()} - "
    if level in ("intro", "intro_outro", "intro_outro_light", "trimmed"):
        p[0] = w.paragraph(names)
    if level in ("intro_outro", "intro_outro_light"):
        p[-1] = w.paragraph(names)
    if level == "trimmed":
        p = p[: max(3, (len(p) * 2 + 2) // 3)]
    if level in ("light", "intro_outro_light"):
        p = [w.light_edit(x) for x in p]
    p[0] = dateline + p[0]
    p.append(f"({w.rng.choice(['rds', 'csb/csb', 'Tim', 'ant', 'adv'])})")
    return p


def generate(n_stories: int = 1000, n_background: int = 2000, seed: int = 5) -> list[Doc]:
    """n_stories originals with ~1.4 copies and ~1.1 hard negatives each, plus
    n_background unrelated articles."""
    w = Writer(seed)
    rng = w.rng
    docs: list[Doc] = []
    for s in range(n_stories):
        place = rng.choice(PLACE)
        official = f"{rng.choice(ROLE)} {place} {rng.choice(FIRST)} {rng.choice(LAST)}"
        names = [official, f"{rng.choice(FIRST)} {rng.choice(LAST)}", place]
        paras = [w.paragraph(names) for _ in range(rng.randint(5, 12))]
        quote = f'"{w.sentence(names)}" kata {official}.'
        paras.insert(rng.randrange(1, len(paras)), quote)
        day = rng.randrange(0, 330)
        origin_site = rng.choice(OUTLETS)
        docs.append(Doc(f"s{s}", f"s{s}", "original", origin_site, _date(rng, day), "\n".join(paras), paras))
        n_copies = rng.choices([0, 1, 2, 3, 4], weights=[30, 30, 20, 12, 8])[0]
        for c in range(n_copies):
            level = rng.choice(LEVELS)
            body = _copy(w, paras, level, place, names)
            site = rng.choice([o for o in OUTLETS if o != origin_site])
            docs.append(Doc(f"s{s}c{c}", f"s{s}", f"copy:{level}", site, _date(rng, day, rng.randint(1, 72)),
                            "\n".join(body), body))
        if rng.random() < 0.3:
            # A follow-up a few days later that recaps the story: one or two paragraphs
            # repeated ("Sebelumnya diberitakan ..."), the rest new. Another article.
            recap = rng.sample(paras, k=min(len(paras), rng.randint(1, 2)))
            new = [w.paragraph(names) for _ in range(rng.randint(4, 8))]
            body = new[:1] + ["Sebelumnya diberitakan, " + recap[0]] + recap[1:] + new[1:]
            docs.append(Doc(f"s{s}f", f"s{s}f", "follow_up", rng.choice(OUTLETS), _date(rng, day, 24 * 5),
                            "\n".join(body), body))
        r = rng.random()
        if r < 0.5:
            # Another outlet's own report of the same event: same people, place, day
            # and the same quoted sentence, its own words otherwise.
            own = [w.paragraph(names) for _ in range(rng.randint(4, 9))]
            own.insert(rng.randrange(1, len(own)), quote)
            docs.append(Doc(f"s{s}e", f"s{s}e", "same_event", rng.choice(OUTLETS), _date(rng, day, 3),
                            "\n".join(own), own))
        elif r < 0.8:
            # The same official at another event, weeks later.
            other = [w.paragraph(names) for _ in range(rng.randint(5, 10))]
            docs.append(Doc(f"s{s}o", f"s{s}o", "same_official", rng.choice(OUTLETS),
                            _date(rng, day + 20), "\n".join(other), other))
    for b in range(n_background):
        paras = [w.paragraph() for _ in range(rng.randint(4, 12))]
        docs.append(Doc(f"b{b}", f"b{b}", "background", rng.choice(OUTLETS), _date(rng, rng.randrange(0, 330)),
                        "\n".join(paras), paras))
    return docs
