"""Topic relevance: concepts must co-occur; every match says where it came from."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.relevance import TopicProfile, TopicProfileError

P = TopicProfile.bundled()

RELEVANT = [
    ("Ratusan ASN Ikuti Apel Netralitas Jelang Pilkada",
     "Ratusan aparatur sipil negara mengikuti apel dan ikrar netralitas di halaman kantor bupati.\n"
     "Pj Bupati meminta pegawai tidak ikut kampanye pasangan calon menjelang Pilkada serentak."),
    ("Bawaslu Temukan Camat Hadiri Kampanye Paslon",
     "Bawaslu kabupaten menemukan seorang camat hadir dalam kampanye salah satu paslon.\n"
     "Temuan itu diteruskan ke BKN untuk dijatuhi sanksi disiplin."),
    ("KASN Rekomendasikan Sanksi untuk Kepala Dinas",
     "Komisi ASN merekomendasikan sanksi bagi seorang kepala dinas yang terbukti berpihak.\n"
     "Ia mengunggah dukungan kepada calon gubernur di media sosial selama tahapan Pemilu."),
    ("Lurah Dilaporkan Usai Foto Bersama Paslon",
     "Seorang lurah dilaporkan ke Bawaslu setelah fotonya bersama paslon dengan salam jari beredar.\n"
     "Lurah sebagai ASN wajib menjaga netralitas pada Pilkada."),
]
NOT_RELEVANT = [
    ("KPU Lahat Distribusikan Logistik Pilkada",
     "KPU mendistribusikan kotak suara dan surat suara ke setiap kecamatan.\nLogistik pemilihan dikawal polisi."),
    ("Pemkab Cairkan TPP ASN",
     "Pemerintah kabupaten mencairkan tambahan penghasilan pegawai bagi ASN dan PNS.\nDana sudah masuk rekening."),
    ("Wasit Netral, Sriwijaya FC Ditahan Imbang",
     "Wasit dinilai netral memimpin laga.\nSuporter terus memberi dukungan kepada tim tuan rumah."),
    ("Dinkes Gencarkan Kampanye Imunisasi",
     "Kepala dinas kesehatan meluncurkan kampanye imunisasi polio di sekolah dasar."),
    ("Banjir Rendam Ratusan Rumah", "Banjir merendam ratusan rumah warga di tiga kecamatan."),
]


@pytest.mark.parametrize("title,text", RELEVANT)
def test_relevant(title: str, text: str) -> None:
    assert P.score(title, text).label == "relevant"


@pytest.mark.parametrize("title,text", NOT_RELEVANT)
def test_hard_negatives_at_most_borderline(title: str, text: str) -> None:
    assert P.score(title, text).label != "relevant"


def test_every_relevant_above_every_negative() -> None:
    low = min(P.score(t, x).score for t, x in RELEVANT)
    high = max(P.score(t, x).score for t, x in NOT_RELEVANT)
    assert low > high


def test_unrelated_scores_zero() -> None:
    r = P.score("Banjir", "Hujan deras membuat sungai meluap.")
    assert r.score == 0 and r.label == "not_relevant" and r.matched_terms() == []


@pytest.mark.parametrize("text,term", [
    ("Para ASN-nya dilarang berkampanye.", "kampanye"),
    ("Ke-netral-an pegawai dijaga.", "netral"),
    ("Soal netralitasnya, pegawai non-ASN juga diawasi.", "non ASN"),
    ("Kegiatan itu dikampanyekan oleh tim.", "kampanye"),
])
def test_affixes_and_hyphens(text: str, term: str) -> None:
    assert term in [m["term"] for m in P.score("", text).matched_terms()]


def test_kecamatan_is_not_a_camat() -> None:
    assert "camat" not in [m["term"] for m in P.score("", "Warga di tiga kecamatan terdampak.").matched_terms()]


def test_matches_explain_where_and_sentence() -> None:
    r = P.score("ASN Diminta Netral", "Paragraf pembuka.\nKedua.\nBawaslu mengawasi Pilkada di kabupaten.")
    by_term = {m["term"]: m for m in r.matched_terms()}
    assert by_term["ASN"]["where"] == "title" and by_term["ASN"]["concept"] == "actors"
    assert by_term["Bawaslu"]["where"] == "body"
    assert by_term["Bawaslu"]["sentence"] == "Bawaslu mengawasi Pilkada di kabupaten."


def test_title_weighs_more_than_body() -> None:
    body = "Paragraf satu tanpa istilah.\nParagraf dua juga.\n"
    in_title = P.score("ASN Diminta Netral Jelang Pilkada", body + "Laporan lengkap.")
    in_body = P.score("Laporan", body + "ASN diminta netral jelang Pilkada.")
    assert in_title.score > in_body.score


@pytest.mark.parametrize("body,key", [
    ('name = "x"\ncolour = 1\n[concepts.actors]\nterms = ["a"]\n', "colour"),
    ('name = "x"\n[concepts.actors]\nterms = []\n', "concepts.actors.terms"),
    ('name = "x"\n[concepts.actors]\nterms = ["a"]\n[concepts.conduct]\nterms = ["b"]\n', "concepts.election"),
    ('name = [\n', "not valid TOML"),
])
def test_bad_profile_names_file_and_key(tmp_path: Path, body: str, key: str) -> None:
    f = tmp_path / "t.toml"
    f.write_text(body)
    with pytest.raises(TopicProfileError) as e:
        TopicProfile.load(f)
    assert str(f) in str(e.value) and key in str(e.value)


def test_unknown_bundled_profile() -> None:
    with pytest.raises(TopicProfileError):
        TopicProfile.bundled("nope")


def test_labelled_set_meets_the_targets() -> None:
    """Issue 7's measured targets on the labelled set (also `make eval`)."""
    from bench.eval_relevance import evaluate, load_set

    rows = load_set()
    assert len(rows) >= 60 and {r["label"] for r in rows} == {"relevant", "borderline", "not_relevant"}
    rep = evaluate(rows)
    assert rep.precision >= 0.95 and rep.recall >= 0.95, rep.errors
    assert rep.min_relevant > rep.max_off_topic, rep.errors
    assert rep.region_accuracy >= 0.95, rep.errors


def test_why_names_the_rule_and_proximity() -> None:
    r = P.score(*RELEVANT[1])
    assert r.why["proximity"] == "sentence" and r.why["rule"].startswith("actors, conduct and election")
    assert set(r.why["evidence"]) == {"actors", "conduct", "election", "sanctions"}
    pay = P.score(*NOT_RELEVANT[1])
    assert pay.why["rule"] == "at most borderline: no conduct / election term"


def test_actor_far_from_conduct_is_at_most_borderline() -> None:
    text = ("Camat itu membuka pasar murah di balai kecamatan.\nHarga beras turun.\nWarga antre sejak pagi.\n"
            "Di tempat lain, Bawaslu mencatat pelanggaran kampanye dalam Pilkada.")
    r = P.score("Pasar Murah", text)
    assert r.label != "relevant" and r.why["proximity"] == "article"


def test_a_pageant_is_not_an_election() -> None:
    r = P.score("Camat Dukung Finalis Pemilihan Duta Wisata",
                "Camat memberi dukungan kepada finalis pemilihan duta wisata kabupaten.")
    assert r.label != "relevant" and "pemilihan" not in {m["term"] for m in r.matched_terms()}


@pytest.mark.parametrize("text,term", [
    ("Pegawai itu di-sanksi.", "sanksi"),
    ("Pegawai itu ber-kampanye.", "kampanye"),
    ("Sanksi merujuk PP 94/2021 dan UU ASN.", "PP 94/2021"),
])
def test_hyphenated_affixes_and_regulations(text: str, term: str) -> None:
    assert term in [m["term"] for m in P.score("", text).matched_terms()]


def test_backfill_queries_key_is_tolerated(tmp_path: Path) -> None:
    f = tmp_path / "t.toml"
    f.write_text('name = "x"\nqueries = ["netralitas ASN"]\n[concepts.actors]\nterms = ["a"]\n'
                 '[concepts.conduct]\nterms = ["b"]\n[concepts.election]\nterms = ["c"]\n')
    assert TopicProfile.load(f).name == "x"
