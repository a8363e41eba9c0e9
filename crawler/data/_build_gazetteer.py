"""Rebuild crawler/data/gazetteer.csv from crawler/data/kode_wilayah.txt.

kode_wilayah.txt is a transcription of the province and regency/city rows of
cahyadsn/wilayah `db/wilayah_luas.sql` (MIT License, (c) cahya dsn), whose codes
follow Kepmendagri No 300.2.2-2138 Tahun 2025 (the Kemendagri kode wilayah; the
38 provinces and 514 regencies/cities are unchanged since the 2022 Papua splits).
One line per province: ``code|name|NN name;NN name...``; NN >= 71 is a kota.

The aliases are ours: the official forms ("Kabupaten X", "Kab. X", "Kota X",
"Pemkab X"), spelling variants and the abbreviations regional outlets use
("OKU Timur", "Muba", "Sumsel"). ``needs_context`` marks bare names that are also
common words or people's names ("Batu", "Agam", "Medan"): they count only with a
"Kabupaten"/"Kota" prefix or as a dateline.

Run: python -m crawler.data._build_gazetteer
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent

PROVINCE_ALIASES: dict[str, list[str]] = {
    "11": ["NAD", "Nanggroe Aceh Darussalam"], "12": ["Sumut", "Sumatra Utara"], "13": ["Sumbar", "Sumatra Barat"],
    "14": [], "15": [], "16": ["Sumsel", "Sumatra Selatan"], "17": [], "18": [],
    "19": ["Babel", "Bangka Belitung"], "21": ["Kepri"],
    "31": ["DKI Jakarta", "DKI", "Daerah Khusus Jakarta", "Jakarta"], "32": ["Jabar"], "33": ["Jateng"],
    "34": ["DIY", "Yogyakarta", "Jogja", "Jogjakarta", "Daerah Istimewa Yogyakarta"], "35": ["Jatim"], "36": [],
    "51": [], "52": ["NTB"], "53": ["NTT"], "61": ["Kalbar"], "62": ["Kalteng"], "63": ["Kalsel"],
    "64": ["Kaltim"], "65": ["Kaltara"], "71": ["Sulut"], "72": ["Sulteng"], "73": ["Sulsel"], "74": ["Sultra"],
    "75": [], "76": ["Sulbar"], "81": [], "82": ["Malut"], "91": [], "92": ["Pabar"], "93": ["Papsel"],
    "94": ["Papteng"], "95": ["Papua Pegunungan Tengah"], "96": ["PBD"],
}

# Abbreviations and spellings used in regional news, by code.
REGENCY_ALIASES: dict[str, list[str]] = {
    "11.08": ["Aceh Utara"], "11.73": ["Lhokseumawe"],
    "12.06": ["Tanah Karo"], "12.10": ["Labuhan Batu"], "12.13": ["Madina"], "12.16": ["Humbahas"],
    "12.18": ["Sergai"], "12.20": ["Paluta"], "12.21": ["Palas"], "12.22": ["Labusel", "Labuhan Batu Selatan"],
    "12.23": ["Labura", "Labuhan Batu Utara"], "12.01": ["Tapteng"], "12.02": ["Taput"], "12.03": ["Tapsel"],
    "12.72": ["Pematang Siantar", "Siantar"], "12.74": ["Tanjung Balai"], "12.77": ["Padang Sidempuan"],
    "13.07": ["Limapuluh Kota", "50 Kota"], "13.05": ["Padang Pariaman"],
    "14.02": ["Inhu"], "14.04": ["Inhil"], "14.06": ["Rohul"], "14.07": ["Rohil"], "14.09": ["Kuansing"],
    "15.05": ["Muarojambi", "Muaro Jambi"], "15.06": ["Tanjabbar"], "15.07": ["Tanjabtim"], "15.04": ["Batang Hari"],
    "16.01": ["OKU"], "16.02": ["OKI"], "16.03": ["Muaraenim"], "16.05": ["Mura"], "16.06": ["Muba"],
    "16.08": ["OKU Timur", "OKUT"], "16.09": ["OKU Selatan", "OKUS"], "16.10": ["OI"], "16.12": ["PALI"],
    "16.13": ["Muratara", "Muratara"], "16.72": ["Pagaralam"], "16.73": ["Lubuklinggau", "Linggau"],
    "17.02": ["Rejang Lebong"], "17.06": ["Muko-Muko", "Muko Muko"], "17.09": ["Benteng"],
    "18.01": ["Lamsel"], "18.02": ["Lamteng"], "18.03": ["Lampura"], "18.04": ["Lambar"], "18.05": ["Tuba"],
    "18.07": ["Lamtim"], "18.12": ["Tubaba"], "18.13": ["Pesibar"], "18.71": ["Bandarlampung"],
    "19.71": ["Pangkalpinang"], "21.72": ["Tanjungpinang"],
    "31.71": ["Jakpus"], "31.72": ["Jakut"], "31.73": ["Jakbar"], "31.74": ["Jaksel"], "31.75": ["Jaktim"],
    "34.03": ["Gunung Kidul"], "34.01": ["Kulonprogo"], "33.72": ["Solo"], "36.74": ["Tangsel"],
    "52.08": ["KLU"], "52.07": ["KSB"], "53.02": ["TTS"], "53.03": ["TTU"], "53.15": ["Mabar"],
    "53.18": ["SBD"], "53.14": ["Rote"], "61.12": ["Kubu Raya"], "62.01": ["Kobar"], "62.02": ["Kotim"],
    "62.71": ["Palangka Raya"], "63.01": ["Tala"], "63.02": ["Kota Baru"], "63.04": ["Batola"],
    "63.06": ["HSS"], "63.07": ["HST"], "63.08": ["HSU"], "63.10": ["Tanbu"],
    "64.02": ["Kukar"], "64.07": ["Kubar"], "64.08": ["Kutim"], "64.09": ["PPU"], "64.11": ["Mahulu"],
    "65.04": ["KTT"], "71.01": ["Bolmong"], "71.05": ["Minsel"], "71.06": ["Minut"], "71.07": ["Mitra"],
    "71.08": ["Bolmut"], "71.09": ["Sitaro"], "71.10": ["Boltim"], "71.11": ["Bolsel"],
    "72.04": ["Tolitoli"], "72.08": ["Parimo"], "72.09": ["Touna", "Tojo Una-Una"], "72.12": ["Morut"],
    "73.01": ["Selayar"], "73.10": ["Pangkep"], "73.14": ["Sidrap"], "73.26": ["Torut"], "73.18": ["Tator"],
    "73.72": ["Pare-Pare", "Pare Pare"], "74.72": ["Baubau"], "74.05": ["Konsel"],
    "81.01": ["Malteng"], "81.02": ["Malra"], "81.03": ["KKT", "Maluku Tenggara Barat"], "81.05": ["SBT"],
    "81.06": ["SBB"], "81.08": ["MBD"], "82.01": ["Halbar"], "82.02": ["Halteng"], "82.03": ["Halut"],
    "82.04": ["Halsel"], "82.06": ["Haltim"], "82.72": ["Tidore"], "92.03": ["Fakfak"], "92.11": ["Mansel"],
    "92.12": ["Pegaf"],
}

# Capital towns (ibu kota kabupaten) that datelines name instead of the regency. Only for the
# bundled outlets' provinces (Sumatera Selatan, Kalimantan Selatan) so far.
CAPITALS: dict[str, list[str]] = {
    "16.01": ["Baturaja"], "16.02": ["Kayuagung", "Kayu Agung"], "16.05": ["Muara Beliti"], "16.06": ["Sekayu"],
    "16.07": ["Pangkalan Balai"], "16.08": ["Martapura"], "16.09": ["Muaradua"], "16.10": ["Indralaya"],
    "16.11": ["Tebing Tinggi"], "16.12": ["Talang Ubi"], "16.13": ["Rupit"],
    "63.01": ["Pelaihari"], "63.03": ["Martapura"], "63.04": ["Marabahan"], "63.05": ["Rantau"],
    "63.06": ["Kandangan"], "63.07": ["Barabai"], "63.08": ["Amuntai"], "63.09": ["Tanjung"],
    "63.10": ["Batulicin"], "63.11": ["Paringin"],
}
# Capitals that are everyday words: datelines only.
DATELINE_ONLY = {"Tanjung", "Rantau"}

# Bare names that are everyday words or people's names: need "Kabupaten"/"Kota" or a dateline.
NEEDS_CONTEXT = {
    "Batu", "Agam", "Banjar", "Bone", "Buru", "Malaka", "Kota Baru", "Kotabaru", "Batu Bara", "Tanah Datar",
    "Lebak", "Metro", "Puncak", "Landak", "Toba", "Kudus", "Batang", "Pati", "Lingga", "Bima", "Karo",
    "Kapuas", "Padang", "Medan", "Malang", "Serang", "Palu", "Tegal", "Benteng", "Solo", "Siantar", "Mitra",
    "Tuba", "Mura", "OI", "Tala", "Rote", "Sumba Barat", "Ambon", "Binjai", "Gunung Mas", "Pulang Pisau",
    "Empat Lawang", "Lima Puluh Kota", "50 Kota", "Intan Jaya", "Raja Ampat", "Bangka", "Belitung", "Nias",
    "Sabang", "Paser", "Lahat", "Kaur", "Tual", "Dairi", "Sigi", "Buol", "Muna", "Belu", "Alor", "Ende",
    "Jakarta", "DKI", "Gowa", "Tapin", "Kendal", "Demak", "Tuban", "Pidie",
}


def main() -> None:
    rows: list[dict[str, str]] = []
    for line in (HERE / "kode_wilayah.txt").read_text("utf-8").splitlines():
        if not line.strip():
            continue
        pcode, pname, regs = line.split("|")
        rows.append({"code": pcode, "name": pname, "type": "provinsi", "official_name": f"Provinsi {pname}",
                     "province_code": pcode, "province_name": pname,
                     "aliases": ";".join([f"Provinsi {pname}", f"Prov. {pname}", f"Pemprov {pname}",
                                          *PROVINCE_ALIASES[pcode],
                                          *(f"Pemprov {a}" for a in PROVINCE_ALIASES[pcode]),
                                          *(f"Provinsi {a}" for a in PROVINCE_ALIASES[pcode])]),
                     "needs_context": "", "capitals": ""})
        for reg in regs.split(";"):
            num, name = reg[:2], reg[3:].strip()
            code = f"{pcode}.{num}"
            kota = int(num) >= 71
            admin = name.startswith("Administrasi ")
            name = name.removeprefix("Administrasi ").replace("Kep. ", "Kepulauan ")
            kind = "kota" if kota else "kabupaten"
            official = ("Kota " if kota else "Kabupaten ") + ("Administrasi " if admin else "") + name
            extra = REGENCY_ALIASES.get(code, [])
            if kota:
                forms = [f"Kota {name}", f"Pemkot {name}", *(f"Kota {a}" for a in extra)]
            else:
                forms = [f"Kabupaten {name}", f"Kab. {name}", f"Kab {name}", f"Pemkab {name}",
                         *(f"Kabupaten {a}" for a in extra), *(f"Kab. {a}" for a in extra),
                         *(f"Pemkab {a}" for a in extra)]
            if admin:
                forms.append(official)
            aliases = [f for f in dict.fromkeys([*forms, *extra]) if f != name]
            rows.append({"code": code, "name": name, "type": kind, "official_name": official,
                         "province_code": pcode, "province_name": pname, "aliases": ";".join(aliases),
                         "needs_context": ";".join(sorted({n for n in [name, *extra, *CAPITALS.get(code, [])]
                                                           if n in NEEDS_CONTEXT | DATELINE_ONLY})),
                         "capitals": ";".join(CAPITALS.get(code, []))})
    out = HERE / "gazetteer.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# Indonesian provinces and regencies/cities with Kemendagri codes (kode wilayah).\n"
                 "# Source: cahyadsn/wilayah db/wilayah_luas.sql (MIT License, (c) cahya dsn),\n"
                 "# codes per Kepmendagri No 300.2.2-2138 Tahun 2025. Aliases and needs_context: Warta.\n"
                 "# Rebuild: python -m crawler.data._build_gazetteer\n")
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    kinds = [r["type"] for r in rows]
    print(f"{out}: {kinds.count('provinsi')} provinces, {kinds.count('kabupaten')} kabupaten, "
          f"{kinds.count('kota')} kota")


if __name__ == "__main__":
    main()
