"""Invented fixture texts for duplicate detection: one Diskominfo press release and
what outlets make of it, plus reports that look alike but are other articles.
Paragraphs are lists so a test can serve them as HTML or join them as stored text."""

from __future__ import annotations

# A press release of Diskominfo Kabupaten Lembak Jaya (an invented regency).
RELEASE = [
    "Penjabat Bupati Lembak Jaya, Darmawan Sukri, memimpin apel gabungan aparatur sipil negara di halaman "
    "Kantor Bupati pada Senin pagi, 14 Oktober 2024, sekaligus memimpin pembacaan ikrar netralitas menjelang "
    "Pilkada serentak 27 November 2024.",
    "Apel diikuti sekitar 1.200 pegawai negeri sipil, pegawai pemerintah dengan perjanjian kerja, dan tenaga "
    "honorer dari 38 organisasi perangkat daerah. Ikrar dibacakan oleh Sekretaris Daerah Hasnah Marwiyah dan "
    "ditirukan seluruh peserta dengan mengangkat tangan kanan.",
    "\"ASN harus berdiri di tengah. Jangan hadir di acara pasangan calon, jangan memberi tanda suka pada "
    "unggahan kampanye, dan jangan memakai mobil dinas untuk kepentingan politik,\" kata Darmawan di hadapan "
    "peserta apel.",
    "Menurut Darmawan, pemerintah kabupaten telah membentuk satuan tugas pengawasan netralitas yang melibatkan "
    "Inspektorat, Badan Kepegawaian dan Pengembangan Sumber Daya Manusia, serta bagian hukum sekretariat daerah. "
    "Satuan tugas itu akan menerima laporan warga melalui nomor pengaduan dan kotak saran di setiap kecamatan.",
    "Ia menjelaskan sanksi bagi pegawai yang terbukti melanggar berjenjang, mulai dari teguran tertulis, "
    "penundaan kenaikan pangkat, hingga pemberhentian tidak dengan hormat untuk pelanggaran berat sesuai "
    "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil.",
    "Sekretaris Daerah Hasnah Marwiyah menambahkan, setiap kepala perangkat daerah wajib menandatangani pakta "
    "integritas dan melaporkan kegiatan bawahannya selama masa kampanye. Camat dan lurah juga diminta tidak "
    "memfasilitasi pertemuan tim pemenangan di kantor pemerintahan.",
    "Usai apel, Bawaslu Kabupaten Lembak Jaya membagikan buku saku berisi contoh pelanggaran netralitas, seperti "
    "berfoto dengan gestur jari yang menandakan nomor urut pasangan calon, menjadi admin grup percakapan relawan, "
    "dan menyebarkan materi kampanye di media sosial.",
    "Pemerintah kabupaten mengajak masyarakat ikut mengawasi dan melapor bila menemukan pegawai yang terlibat "
    "politik praktis, agar pilkada di Lembak Jaya berlangsung jujur, adil, aman dan damai.",
]

# Another outlet runs the release with its own dateline, a rewritten first and last
# paragraph, a few words changed, and its own credit line.
SYNDICATED = [
    "LEMBAK JAYA, KABARSELATAN - Ribuan pegawai Pemkab Lembak Jaya mengucapkan ikrar netralitas dalam apel "
    "gabungan yang dipimpin Pj Bupati Darmawan Sukri. Ikrar itu diucapkan sebulan lebih sebelum hari pemungutan "
    "suara Pilkada.",
    RELEASE[1],
    RELEASE[2].replace("kata Darmawan", "ujar Darmawan"),
    RELEASE[3],
    RELEASE[4].replace("Ia menjelaskan", "Darmawan menjelaskan"),
    RELEASE[5],
    RELEASE[6],
    "Bawaslu berharap buku saku itu dibaca seluruh pegawai hingga tingkat kelurahan. Warga yang menemukan "
    "pelanggaran dapat melapor langsung ke kantor Bawaslu di Jalan Merdeka. (adv/rds)",
]

# A third outlet takes the release verbatim: only case and punctuation differ.
VERBATIM = [p.upper() if i == 0 else p for i, p in enumerate(RELEASE)]

# A second outlet's own report of the same apel: same people, place, day and the
# same quoted sentence, written by its own reporter. Not a duplicate.
OWN_REPORT = [
    "Halaman Kantor Bupati Lembak Jaya dipenuhi pegawai berseragam sejak pukul tujuh pagi. Mereka datang untuk "
    "apel yang diisi pembacaan ikrar netralitas, sesuatu yang menurut sejumlah peserta baru pertama kali "
    "digelar sebesar ini.",
    "Seorang guru honorer dari Kecamatan Sungai Rampak mengaku berangkat pukul lima subuh agar tidak terlambat. "
    "Ia mengatakan di desanya sudah ada tim sukses yang mendekati perangkat desa dan guru untuk ikut berkampanye.",
    "\"ASN harus berdiri di tengah. Jangan hadir di acara pasangan calon, jangan memberi tanda suka pada "
    "unggahan kampanye, dan jangan memakai mobil dinas untuk kepentingan politik,\" kata Darmawan di hadapan "
    "peserta apel.",
    "Pengamat pemerintahan dari universitas negeri setempat, Yusran Abidin, menilai ikrar saja tidak cukup. "
    "Menurutnya, pelanggaran netralitas pada pilkada sebelumnya jarang berujung sanksi karena pejabat pembina "
    "kepegawaian sendiri punya kepentingan dengan calon yang bertarung.",
    "Data Bawaslu provinsi mencatat dua belas laporan dugaan pelanggaran netralitas pegawai di Lembak Jaya pada "
    "pilkada lima tahun lalu. Hanya tiga yang diteruskan ke Komisi ASN dan tidak satu pun yang diumumkan "
    "hasilnya kepada publik.",
    "Yusran menyarankan pemerintah kabupaten membuka daftar laporan yang masuk beserta tindak lanjutnya, "
    "sehingga warga bisa menilai apakah satuan tugas benar-benar bekerja atau sekadar formalitas menjelang "
    "pemungutan suara.",
]

# The same official weeks earlier at another event (as seeds 000 and 001 are): not a duplicate.
OTHER_EVENT = [
    "Penjabat Bupati Lembak Jaya, Darmawan Sukri, mengingatkan para kepala desa agar tidak memihak dalam "
    "pilkada saat membuka rapat koordinasi pemerintahan desa di aula kecamatan, Kamis, 12 September 2024.",
    "Darmawan mengatakan kepala desa bukan aparatur sipil negara, tetapi undang-undang desa melarang mereka "
    "menjadi pengurus partai politik dan ikut serta dalam kampanye. Perangkat desa yang melanggar dapat "
    "diberhentikan oleh bupati atas rekomendasi camat.",
    "Dalam rapat itu juga dibahas penyaluran dana desa tahap ketiga yang tertunda karena sebagian desa belum "
    "menyerahkan laporan pertanggungjawaban. Darmawan memberi waktu dua pekan kepada desa yang terlambat.",
    "\"Dana desa jangan sampai dipakai untuk membiayai kegiatan yang berbau kampanye. Kami akan minta "
    "Inspektorat memeriksa desa yang belanjanya melonjak menjelang pemungutan suara,\" ujarnya.",
    "Ketua Asosiasi Kepala Desa Lembak Jaya, Sarifuddin, menyatakan siap menjaga netralitas dan meminta "
    "pemerintah kabupaten mempercepat pencairan dana agar pembangunan jalan usaha tani tidak terhenti.",
]

# The release corrected in place by its own outlet: a figure fixed and a paragraph
# added at the end. An update of the same article, not a copy of it.
UPDATED = [p.replace("sekitar 1.200 pegawai", "sekitar 1.250 pegawai") for p in RELEASE] + [
    "Pembaruan: jumlah peserta apel diperbaiki sesuai data Badan Kepegawaian daerah."]


def text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)
