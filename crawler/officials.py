"""Officials named in an article, as role + name: "Pj Bupati Banyuasin Hani Syopiar
Rustam", "Ketua Bawaslu Sumsel, Kurniawan Saputra," or "Sekda Lahat H. Chandra".

Indonesian news introduces people as ROLE [INSTITUTION] [PLACE] NAME, with or without
commas around the name. A role word starts the phrase; the place is whatever the
gazetteer recognises (or, for camat/lurah/kepala desa, the one word after the role);
the name is the run of capitalised words that follows, cut at the first word that is
not part of a name.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from crawler.regions import Gazetteer

logger = logging.getLogger(__name__)

# Role heads, longest first; "Pj"/"Plt"/"Wakil" may precede.
_ROLE_HEADS = [
    "Sekretaris Daerah", "Kepala Desa", "Kepala Dinas", "Kepala Badan", "Kepala Bagian", "Kepala Kantor",
    "Kepala Inspektorat", "Kepala Satpol PP", "Kepala BKPSDM", "Kepala BKD", "Kepala BKPP", "Kepala BKN",
    "Kepala Kesbangpol", "Kasatpol PP", "Wali Kota", "Walikota", "Bupati", "Gubernur", "Sekda", "Camat", "Lurah",
    "Kades", "Ketua", "Anggota", "Komisioner", "Koordinator Divisi", "Kordiv", "Inspektur", "Kapolres",
    "Kapolda", "Kapolsek", "Dandim", "Danrem", "Pangdam", "Kajari", "Kajati", "Asisten", "Kadis", "Kaban",
    "Menteri", "Deputi", "Direktur", "Plt Kepala", "Kepala",
]
_MODIFIERS = r"(?:(?:Pj\.?|Plt\.?|Plh\.?|Penjabat|Pejabat|Wakil|Wakil\s+Ketua|Mantan)\s+)?"
_ROLE_RE = re.compile(
    r"\b(?P<head>" + _MODIFIERS + "(?:" + "|".join(re.escape(h).replace(r"\ ", r"\s+") for h in _ROLE_HEADS)
    + r"))\b")
_WORD_RE = re.compile(r"[A-Za-z][\w'’.-]*|,|\S")
# Titles that may start a name; academic degrees after a comma end it.
_TITLES = {"H.", "Hj.", "Dr.", "dr.", "Ir.", "Drs.", "Dra.", "Prof.", "KH.", "H", "Hj", "Dr", "Ir", "Drs"}
_DEGREE_RE = re.compile(r"^(?:S\.?[A-Z][\w.]*|M\.?[A-Z][\w.]*|SH|MH|SE|ST|MM|MSi|MPd|SPd|SIP|SSos|MAP|Ph\.?D)\.?$")
# Capitalised words that are never part of a person's name.
_NOT_NAME = frozenset("""
ASN PNS PPPK Pemilu Pilkada Pilpres Pileg Bawaslu KPU KASN BKN Panwaslu Panwascam Pemkab Pemkot Pemprov
Kabupaten Kota Provinsi Kecamatan Desa Kelurahan Senin Selasa Rabu Kamis Jumat Sabtu Minggu Januari Februari
Maret April Mei Juni Juli Agustus September Oktober November Desember Dinas Badan Divisi Bidang Bagian
Penanganan Pelanggaran Hukum Pencegahan Pengawasan Sekretariat Kantor Satpol PP DPRD TNI Polri Polres Bupati
Gubernur Camat Lurah Sekda Ketua Anggota Kepala Menurut Saat Dalam Pada Di Ia Dia Mereka Kami Para Pihak
Tahun Pendidikan Kesehatan Kebudayaan Sosial Perhubungan Kependudukan Pencatatan Sipil Umum Perumahan
Pemerintahan Kepegawaian Pengembangan Sumber Daya Manusia Daerah Inspektorat Kesbangpol BKPSDM BKD Wali
Komisi Aparatur Sipil Negara Pengawas Pemilihan Sementara Dia Itu Ini Hal Adapun Sementara Bahkan Namun
Sebelumnya Selain Kemudian Tim Sukses Paslon Caleg Partai Gerindra PDIP PKS Golkar Demokrat Nasdem PKB PAN
Forum Koordinasi Pimpinan Forkopimda Apel Upacara Halaman Lapangan Gedung Masjid Kantor Jalan RSUD BPBD
Sriwijaya FC Imunisasi Polio Pasar Kuliner Keuangan Aset Pendapatan Perencanaan Pembangunan Bappeda
Mau Tak Tidak Akan Sudah Belum Bisa Harus Minta Ingin Umum Publik Baru Lama Fokus Soal Usai Jelang Terkait
Bersama Dan Atau Yang Akan Juga Hanya Kembali Resmi Segera Siap Sebut Bantah Tegaskan Ungkap Imbau Ajak
""".split())
_ORG_WORDS = frozenset("""
Bawaslu KPU KASN BKN Panwaslu Panwascam Dinas Badan Bagian Divisi Bidang Satpol PP DPRD Inspektorat
Kesbangpol BKPSDM BKD BKPP Penanganan Pelanggaran Hukum Pencegahan Pengawasan Partisipasi Masyarakat
Humas Data Informasi Teknis Penyelenggaraan Sosialisasi Pendidikan Kesehatan Kebudayaan Sosial Perhubungan
Kependudukan Pencatatan Sipil Umum Perumahan Pemerintahan Kepegawaian Pengembangan Sumber Daya Manusia
Daerah Tata Ruang Kominfo Komunikasi Keuangan Aset Pendapatan Perencanaan Pembangunan Bappeda Pemuda
Olahraga Pariwisata Pertanian Perikanan Kelautan Tenaga Kerja Perindustrian Perdagangan Lingkungan Hidup
Komisi Aparatur Sipil Negara Republik Indonesia RI Kabupaten Kota Provinsi Kecamatan Desa Kelurahan
Pemkab Pemkot Pemprov Polres Polda Kodim Korem Kejari Kejati Pengawas Pemilihan Umum Sementara Tinggi
Negeri Pengadilan Agama Ombudsman Perwakilan Ad Hoc Adhoc Bidang Administrasi Perekonomian Masyarakat
Pemberdayaan Sekretariat Urusan Layanan Unit Pelaksana UPTD Puskesmas Sekolah SD SMP SMA SMK
dan
""".split())
# Sentence ends, but not after a title or initial ("H. Chandra", "Drs. Sutrisno").
_SENT_RE = re.compile(r"(?<!\s[A-Z]\.)(?<![A-Z][a-z]\.)(?<![A-Z][a-z]{2}\.)(?<=[.!?])\s+(?=[A-Z\"“])|\n+")
# Institution nouns are pe-...-an / ke-...-an words ("Pemberdayaan", "Kepegawaian"); names are not.
_AFFIXED_NOUN_RE = re.compile(r"^(?:Pe|Ke)[a-z]{3,}an$")
_SPELLED_OUT = [(re.compile(r"\bPenjabat \(Pj\)\s+"), "Pj "), (re.compile(r"\bPelaksana Tugas \(Plt\)\s+"), "Plt "),
                (re.compile(r"\bPelaksana Harian \(Plh\)\s+"), "Plh ")]
# Roles whose next word is their area when the gazetteer does not know it: a district,
# village or town ("Camat Sukarami", "Kapolsek Kebayoran Lama", "Kajari Lhoksukon").
_LOCAL_ROLES = ("camat", "lurah", "kades", "kepala desa", "kapolsek", "danramil", "kajari", "kapolres", "dandim")


@dataclass(frozen=True)
class Official:
    role: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "name": self.name}


def _is_org_word(w: str) -> bool:
    return w in _ORG_WORDS or bool(_AFFIXED_NOUN_RE.match(w))


def _is_name_word(w: str) -> bool:
    if w in _TITLES:
        return True
    if w in _NOT_NAME or _is_org_word(w) or w.upper() == w and len(w) > 1 and not w.endswith("."):
        return False  # acronyms are institutions, not people
    return w[:1].isupper() and w.rstrip(".").replace("'", "").replace("’", "").replace("-", "").isalpha()


def find_officials(text: str, gazetteer: Gazetteer | None = None) -> list[Official]:
    """Officials in the article text (not the headline: headlines capitalise every word)."""
    gaz = gazetteer or Gazetteer.bundled()
    for pattern, short in _SPELLED_OUT:
        text = pattern.sub(short, text)
    out: dict[str, Official] = {}
    # One pass over the whole text; only the rest of a role's own sentence is parsed.
    for m in _ROLE_RE.finditer(text):
        nxt = text[m.end() + 1 : m.end() + 2]
        if not nxt.isupper():
            continue  # "kepala sekolah", "Ketua mengatakan": no institution, place or name follows
        rest = text[m.end() : m.end() + 200]
        end = _SENT_RE.search(rest)
        off = _parse(m.group("head"), rest[: end.start()] if end else rest, gaz)
        if off is not None and off.name not in out:
            out[off.name] = off
    return list(out.values())


def _parse(head: str, rest: str, gaz: Gazetteer) -> Official | None:
    head = re.sub(r"\s+", " ", head)
    words = _WORD_RE.findall(rest)[:16]
    between = _between_commas(head, words)
    if between is not None:
        return between
    # Institution and place: capitalised words that are organisation words or a gazetteer name.
    role_words: list[str] = []
    i = 0
    local = head.lower().split()[-1] in _LOCAL_ROLES or head.lower().endswith("kepala desa")
    places = 0
    while i < len(words):
        w = words[i]
        if _is_org_word(w) and (w != "dan" or role_words):
            role_words.append(w)
            i += 1
            continue
        k = _place_len(words, i, gaz) if not places else 0
        if k:  # one place: in "Wali Kota Bogor Bima Arya" the second is a name
            role_words.extend(words[i : i + k])
            i += k
            places += 1
            continue
        break
    if role_words and role_words[-1] == "dan":
        role_words.pop()
        i -= 1
    if local and not role_words and i < len(words) and _is_name_word(words[i]) and words[i] not in _TITLES:
        # "Camat Sukarami Ahmad Fauzi", "Camat Telaga diminta": the first word is the district.
        role_words.append(words[i])
        i += 1
    comma = i < len(words) and words[i] == ","
    if comma:
        i += 1
    name: list[str] = []
    while i < len(words) and _is_name_word(words[i]) and len(name) < 5:
        name.append(words[i])
        i += 1
        if name[-1].endswith(".") and name[-1] not in _TITLES:
            name[-1] = name[-1].rstrip(".")  # "Muhammad Yusuf." ends the sentence
            break
    while name and name[-1] in _TITLES:
        name.pop()
    if not name or all(w in _TITLES for w in name):
        return None
    end = words[i] if i < len(words) else ""
    if len([w for w in name if w not in _TITLES]) == 1 and not (comma or end in {",", ".", "("} or end[:1].islower()):
        return None
    if end == "," and i + 1 < len(words) and _DEGREE_RE.match(words[i + 1]):
        pass  # "Hani Syopiar Rustam, S.Sos": the degree is not kept
    if not role_words and head.split()[-1] in {"Ketua", "Anggota", "Kepala", "Asisten", "Direktur", "Deputi",
                                               "Komisioner", "Menteri", "Koordinator Divisi", "Kordiv"}:
        return None  # "Ketua" alone says nothing about the office
    role = " ".join([head, *role_words])
    return Official(role, " ".join(n.rstrip(",") for n in name))


def _between_commas(head: str, words: list[str]) -> Official | None:
    """ROLE Institution Place, Name, ...: whatever capitalised words come before the comma
    complete the role ("Walikota Cekmekoy, Ahmet Poyraz,"), even when no word list knows them."""
    k = 0
    while k < len(words) and k < 8 and (words[k][:1].isupper() or words[k] == "dan") and words[k] != ",":
        if words[k].endswith("."):
            return None
        k += 1
    if k == 0 or k >= len(words) or words[k] != "," or words[k - 1] == "dan":
        return None
    j = k + 1
    name: list[str] = []
    while j < len(words) and _is_name_word(words[j]) and len(name) < 5:
        name.append(words[j])
        j += 1
    if not name or all(w in _TITLES for w in name) or j >= len(words) or words[j] != ",":
        return None
    return Official(" ".join([head, *words[:k]]), " ".join(name))


def _place_len(words: list[str], i: int, gaz: Gazetteer) -> int:
    """Length of the gazetteer name starting at words[i] (capitalised), or 0."""
    if not words[i][:1].isupper() or words[i].lower() not in gaz.first:
        return 0
    for k in range(min(gaz.max_len, len(words) - i), 0, -1):
        key = tuple(w.lower().rstrip(".") for w in words[i : i + k])
        if key in gaz.forms and all(w[:1].isupper() for w in words[i : i + k]):
            return k
    return 0
