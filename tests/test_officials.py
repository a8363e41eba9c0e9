"""Officials as role + name, from the article text."""

from __future__ import annotations

import pytest

from crawler.officials import find_officials


@pytest.mark.parametrize("text,role,name", [
    ("Pj Bupati Banyuasin Hani Syopiar Rustam memimpin apel.", "Pj Bupati Banyuasin", "Hani Syopiar Rustam"),
    ("Penjabat (Pj) Bupati Banyuasin Hani Syopiar Rustam memimpin apel.", "Pj Bupati Banyuasin",
     "Hani Syopiar Rustam"),
    ("Ketua Bawaslu Sumsel, Kurniawan Saputra, mengatakan hal itu.", "Ketua Bawaslu Sumsel", "Kurniawan Saputra"),
    ("Hal itu disampaikan Sekda Lahat H. Chandra Wijaya saat apel.", "Sekda Lahat", "H. Chandra Wijaya"),
    ("Camat Sukarami Ahmad Fauzi membantah.", "Camat Sukarami", "Ahmad Fauzi"),
    ("Koordinator Divisi Penanganan Pelanggaran Bawaslu OKU Timur, Dedi Irawan, menjelaskan.",
     "Koordinator Divisi Penanganan Pelanggaran Bawaslu OKU Timur", "Dedi Irawan"),
    ("Kepala Dinas Pemberdayaan Masyarakat dan Desa, Ramlan Ismail, mengatakan.",
     "Kepala Dinas Pemberdayaan Masyarakat dan Desa", "Ramlan Ismail"),
    ("kata Ketua Bawaslu Kota Banjarmasin, Muhammad Yusuf.", "Ketua Bawaslu Kota Banjarmasin", "Muhammad Yusuf"),
    ("Mantan Wali Kota Bogor Bima Arya berkunjung.", "Mantan Wali Kota Bogor", "Bima Arya"),
    ("Pj Wali Kota Palembang Ratu Dewa menegaskan.", "Pj Wali Kota Palembang", "Ratu Dewa"),
    # Between commas, unknown institution words still belong to the role.
    ("Kepala Bidang Mutasi Rotasi BKPSDM, Sari Dewi, menjelaskan.", "Kepala Bidang Mutasi Rotasi BKPSDM", "Sari Dewi"),
])
def test_role_and_name(text: str, role: str, name: str) -> None:
    assert [(o.role, o.name) for o in find_officials(text)] == [(role, name)]


@pytest.mark.parametrize("text", [
    "Gubernur Kalsel meminta ASN netral.",                 # no name given
    "kata Ketua Bawaslu Kota Banjarmasin.",
    "Camat Telaga diminta mengawasi perangkat desa.",      # the word after camat is the district
    "Ketua mengatakan rapat ditunda.",                     # a bare "Ketua" is no office
    "Kepala Badan Pengelolaan Keuangan dan Aset Daerah menyebut pencairan lancar.",
    "Ketua Bawaslu OKU Timur, Jumat (26/1/2024), menyebut.",
])
def test_no_official_without_a_name(text: str) -> None:
    assert find_officials(text) == []


def test_one_entry_per_person() -> None:
    text = ("Pj Bupati Banyuasin Hani Syopiar Rustam memimpin apel. Usai apel, Pj Bupati Banyuasin Hani Syopiar "
            "Rustam menyalami pegawai. Sekda Banyuasin, Erwin Ibrahim, mendampingi.")
    assert [o.name for o in find_officials(text)] == ["Hani Syopiar Rustam", "Erwin Ibrahim"]
