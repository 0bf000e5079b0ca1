#!/usr/bin/env python3
"""Writes the sample data keragaan koperasi in this directory.

Invented cooperatives of Kota Samarinda, deterministic (fixed seed), so the
files in the repository are exactly what this script writes:

  koperasi-samarinda.csv    40 cooperatives, as an Indonesian spreadsheet
                            exports them: `;`-separated, UTF-8 with BOM,
                            CRLF, human headers, Rp 1.250.000, 31/03/2026
  koperasi-samarinda.jsonl  20 other cooperatives, snake_case keys, ISO
                            dates, numbers as JSON numbers
  koperasi-salah.csv        one deliberate mistake per row, and a few good rows

Run: python3 examples/data/generate.py   (stdlib only)
"""

import csv
import datetime
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(6472)

# The 10 kecamatan of Kota Samarinda, some of their kelurahan, and a kode pos.
KECAMATAN = {
    "Samarinda Ulu": (["Air Hitam", "Air Putih", "Bukit Pinang", "Dadi Mulya", "Gunung Kelua", "Sidodadi"], "75124"),
    "Samarinda Ilir": (["Sidomulyo", "Sidodamai", "Sungai Dama", "Pelita", "Selili"], "75117"),
    "Samarinda Utara": (["Sempaja Selatan", "Sempaja Utara", "Lempake", "Sungai Siring", "Tanah Merah"], "75119"),
    "Samarinda Seberang": (["Sungai Keledang", "Baqa", "Mesjid", "Tenun", "Mangkupalas"], "75132"),
    "Sungai Kunjang": (["Loa Bakung", "Loa Buah", "Karang Asam Ulu", "Karang Asam Ilir", "Lok Bahu"], "75126"),
    "Sambutan": (["Sambutan", "Sungai Kapih", "Pulau Atas", "Makroman", "Sindang Sari"], "75115"),
    "Sungai Pinang": (["Sungai Pinang Dalam", "Temindung Permai", "Gunung Lingai", "Mugirejo", "Bandara"], "75117"),
    "Samarinda Kota": (["Bugis", "Pasar Pagi", "Karang Mumus", "Pelabuhan"], "75112"),
    "Palaran": (["Rawa Makmur", "Bukuan", "Simpang Pasir", "Handil Bakti", "Bantuas"], "75251"),
    "Loa Janan Ilir": (["Simpang Tiga", "Tani Aman", "Sengkotek", "Harapan Baru", "Rapak Dalam"], "75131"),
}

# (jenis, kelompok, sektor usaha, name prefix)
KINDS = [
    ("Simpan Pinjam", "KSP", "Jasa Keuangan", "Koperasi Simpan Pinjam"),
    ("Konsumen", "KSU", "Perdagangan", "Koperasi Serba Usaha"),
    ("Konsumen", "KPRI", "Perdagangan", "KPRI"),
    ("Konsumen", "Kopkar", "Perdagangan", "Koperasi Karyawan"),
    ("Produsen", "KUD", "Pertanian", "KUD"),
    ("Produsen", "Kopwan", "Industri Pengolahan", "Koperasi Wanita"),
    ("Pemasaran", "KSU", "Perikanan", "Koperasi Nelayan"),
    ("Jasa", "Kopjas", "Transportasi", "Koperasi Jasa Angkutan"),
]
NAME_WORDS = ["Mahakam", "Sejahtera", "Bersama", "Makmur", "Mandiri", "Karya", "Bahari", "Tepian",
              "Harapan", "Bakti", "Sentosa", "Borneo", "Amanah", "Berkah", "Maju", "Lestari",
              "Etam", "Jaya", "Mulia", "Rukun"]
PEOPLE = ["Siti Rahmah", "Muhammad Rizky", "Ahmad Fauzi", "Nur Aini", "Budi Santoso", "Dewi Lestari",
          "Hendra Gunawan", "Rina Marlina", "Syahrani", "Abdul Rahman", "Fitriani", "Yusuf Hidayat",
          "Rahmawati", "Andi Saputra", "Sri Wahyuni", "Agus Salim", "Hasanah", "Irfan Maulana",
          "Nurul Huda", "Wahyu Pratama", "Lilis Suryani", "Dedi Kurniawan", "Maya Sari", "Rudi Hartono",
          "Erna Susanti", "Jumiati", "Bambang Irawan", "Norhayati", "Gusti Ayu Made", "La Ode Hamid"]
NOTES = ["", "", "", "", "Belum RAT 3 tahun berturut-turut", "Data diverifikasi petugas; lengkap",
         "Alamat pindah, perlu dicek", "Pengurus baru hasil RAT 2026"]
HEALTH = ["Sehat", "Cukup Sehat", "Dalam Pengawasan", "Dalam Pengawasan Khusus"]
GRADES = ["A", "B", "C1", "C2", "D"]


def date(start, end):
    return start + datetime.timedelta(days=rng.randrange((end - start).days))


def cooperative(number, used_niks):
    kecamatan = list(KECAMATAN)[number % len(KECAMATAN)]
    kelurahan_list, kode_pos = KECAMATAN[kecamatan]
    jenis, kelompok, sektor, prefix = rng.choice(KINDS)
    while True:
        nik = "6472" + "%02d" % (list(KECAMATAN).index(kecamatan) + 1) + "%07d" % rng.randrange(10**7)
        if nik not in used_niks:
            used_niks.add(nik)
            break
    aktif = rng.random() > 0.25
    pria = rng.randrange(8, 400)
    wanita = rng.randrange(8, 400)
    modal_sendiri = rng.randrange(10, 2000) * 1_000_000 + rng.randrange(1000) * 1000
    modal_luar = rng.randrange(0, 1500) * 1_000_000
    shu = rng.randrange(-50, 300) * 1_000_000 + rng.randrange(1000) * 1000
    berdiri = date(datetime.date(1985, 1, 1), datetime.date(2024, 1, 1))
    rat = (date(datetime.date(2026, 1, 10), datetime.date(2026, 4, 30)) if aktif
           else date(datetime.date(2020, 1, 1), datetime.date(2023, 1, 1)))
    ketua, sekretaris, bendahara, pengawas = rng.sample(PEOPLE, 4)
    return {
        "nik": nik,
        "nama": "%s %s %s" % (prefix, rng.choice(NAME_WORDS), rng.choice(NAME_WORDS)),
        "nomor_badan_hukum": "%d/BH/XVI/%d" % (rng.randrange(100, 999), berdiri.year),
        "tanggal_badan_hukum": berdiri,
        "tanggal_rat": rat,
        "alamat": "Jl. %s No. %d" % (rng.choice(["Juanda", "P. Suryanata", "Pahlawan", "M. Yamin",
                                                  "Slamet Riyadi", "Cendana", "Ir. H. Juanda", "Gerilya",
                                                  "KH. Wahid Hasyim", "Antasari"]), rng.randrange(1, 250)),
        "kelurahan": rng.choice(kelurahan_list),
        "kecamatan": kecamatan,
        "kabupaten_kota": "Kota Samarinda",
        "provinsi": "Kalimantan Timur",
        "kode_pos": kode_pos,
        "telepon": "0541-%d" % rng.randrange(200000, 799999),
        "email": "" if rng.random() < 0.3 else "koperasi%s@gmail.com" % nik[-4:],
        "bentuk": "Primer Kabupaten/Kota",
        "jenis": jenis,
        "kelompok": kelompok,
        "sektor_usaha": sektor,
        "anggota_pria": pria,
        "anggota_wanita": wanita,
        # Offices often leave the total to the reader.
        "anggota_total": None if rng.random() < 0.3 else pria + wanita,
        "manajer": rng.randrange(0, 3),
        "karyawan": rng.randrange(0, 25),
        "ketua": ketua,
        "sekretaris": sekretaris,
        "bendahara": bendahara,
        "pengawas": pengawas,
        "status_aktif": aktif,
        "status_nik": rng.choice(["bersertifikat", "bersertifikat", "belum", "expired"]),
        "grade": rng.choice(GRADES) if aktif else None,
        "kesehatan": rng.choice(HEALTH) if aktif else None,
        "tahun_buku": 2025,
        "modal_sendiri": modal_sendiri,
        "modal_luar": modal_luar,
        "aset": modal_sendiri + modal_luar + rng.randrange(0, 500) * 1_000_000,
        "volume_usaha": rng.randrange(5, 5000) * 1_000_000,
        "shu": shu,
        "catatan": rng.choice(NOTES),
    }


def rupiah_id(amount, style):
    digits = "{:,}".format(abs(amount)).replace(",", ".")
    sign = "-" if amount < 0 else ""
    return {"plain": sign + digits, "rp": sign + "Rp " + digits, "rp_dash": sign + "Rp. " + digits + ",-"}[style]


def dmy(d):
    return d.strftime("%d/%m/%Y")


CSV_HEADER = [
    ("NIK Koperasi", "nik"), ("Nama Koperasi", "nama"), ("No. Badan Hukum", "nomor_badan_hukum"),
    ("Tgl Badan Hukum", "tanggal_badan_hukum"), ("Tanggal RAT Terakhir", "tanggal_rat"),
    ("Alamat", "alamat"), ("Kelurahan", "kelurahan"), ("Kecamatan", "kecamatan"),
    ("Kabupaten/Kota", "kabupaten_kota"), ("Provinsi", "provinsi"), ("Kode Pos", "kode_pos"),
    ("No. Telepon", "telepon"), ("E-mail", "email"), ("Bentuk Koperasi", "bentuk"),
    ("Jenis Koperasi", "jenis"), ("Kelompok Koperasi", "kelompok"), ("Sektor Usaha", "sektor_usaha"),
    ("Jumlah Anggota Pria", "anggota_pria"), ("Jumlah Anggota Wanita", "anggota_wanita"),
    ("Jumlah Anggota", "anggota_total"), ("Jumlah Manajer", "manajer"), ("Jumlah Karyawan", "karyawan"),
    ("Ketua", "ketua"), ("Sekretaris", "sekretaris"), ("Bendahara", "bendahara"), ("Pengawas", "pengawas"),
    ("Status Koperasi", "status_aktif"), ("Status NIK", "status_nik"), ("Grade", "grade"),
    ("Predikat Kesehatan", "kesehatan"), ("Tahun Buku", "tahun_buku"), ("Modal Sendiri (Rp)", "modal_sendiri"),
    ("Modal Luar (Rp)", "modal_luar"), ("Aset (Rp)", "aset"), ("Volume Usaha (Rp)", "volume_usaha"),
    ("SHU (Rp)", "shu"), ("Catatan Petugas", "catatan"),
]
MONEY = {"modal_sendiri", "modal_luar", "aset", "volume_usaha", "shu"}


def csv_cell(coop, key):
    value = coop[key]
    if value is None:
        return ""
    if key in MONEY:
        return rupiah_id(value, rng.choice(["plain", "rp", "rp", "rp_dash"]))
    if isinstance(value, datetime.date):
        return dmy(value)
    if key == "status_aktif":
        return "Aktif" if value else "Tidak Aktif"
    if key in ("anggota_pria", "anggota_wanita", "anggota_total", "manajer", "karyawan"):
        return "{:,}".format(value).replace(",", ".")
    return str(value)


def write_csv(path, header, rows):
    # Excel's "CSV UTF-8": a BOM and CRLF line ends.
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def main():
    used = set()
    coops = [cooperative(i, used) for i in range(60)]
    csv_coops, jsonl_coops = coops[:40], coops[40:]

    write_csv(os.path.join(HERE, "koperasi-samarinda.csv"), [h for h, _ in CSV_HEADER],
              [[csv_cell(c, key) for _, key in CSV_HEADER] for c in csv_coops])

    with open(os.path.join(HERE, "koperasi-samarinda.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for c in jsonl_coops:
            obj = {}
            for key, value in c.items():
                if value is None or value == "":
                    continue
                if key == "catatan":
                    key = "catatan_petugas"
                if isinstance(value, datetime.date):
                    value = value.isoformat()
                obj[key] = value
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")

    # One mistake per row; the comment says which (and the tests expect it).
    header = ["NIK Koperasi", "Nama Koperasi", "Kecamatan", "Jenis Koperasi", "Jumlah Anggota Pria",
              "Jumlah Anggota Wanita", "Tanggal RAT Terakhir", "Aset", "SHU"]
    rows = [
        ["6472010000101", "KSP Tepian Makmur", "Samarinda Ulu", "Simpan Pinjam", "40", "35", "15/03/2026", "Rp 250.000.000", "Rp 12.500.000"],  # 2 good
        ["", "KSU Tanpa NIK", "Sambutan", "Konsumen", "10", "12", "20/02/2026", "Rp 10.000.000", "Rp 1.000.000"],  # 3 missing NIK
        ["6472020000102", "", "Palaran", "Produsen", "22", "3", "20/02/2026", "Rp 90.000.000", "Rp 4.000.000"],  # 4 missing nama
        ["6472010101900001", "KUD Salah NIK", "Palaran", "Produsen", "22", "3", "20/02/2026", "Rp 90.000.000", "Rp 4.000.000"],  # 5 population NIK
        ["6472030000103", "Koperasi Koma Inggris", "Sungai Kunjang", "Jasa", "5", "9", "11/01/2026", "1,250,000", "Rp 100.000"],  # 6 English grouping
        ["6472040000104", "Koperasi Tanggal Salah", "Sungai Pinang", "Konsumen", "30", "31", "31/02/2026", "Rp 75.000.000", "Rp 2.000.000"],  # 7 no such date
        ["6472050000105", "Koperasi Anggota Pecahan", "Samarinda Kota", "Jasa", "12,5", "7", "05/03/2026", "Rp 8.000.000", "Rp 300.000"],  # 8 count with decimals
        ["6472060000106", "Koperasi Kolom Kurang", "Loa Janan Ilir", "Konsumen", "14", "15", "05/03/2026", "Rp 8.000.000"],  # 9 a field short
        ["6472070000107", "KSP Dua Kali", "Samarinda Seberang", "Simpan Pinjam", "50", "60", "28/03/2026", "Rp 400.000.000", "Rp 20.000.000"],  # 10 good
        ["6472070000107", "KSP Dua Kali", "Samarinda Seberang", "Simpan Pinjam", "50", "60", "28/03/2026", "Rp 410.000.000", "Rp 21.500.000"],  # 11 same NIK, other data
        ["6472080000108", "Koperasi Nelayan Bahari", "Samarinda Ilir", "Pemasaran", "70", "8", "02/04/2026", "1.250.000.000", "-15.000.000"],  # 12 good
        ["6472010000101", "KSP Tepian Makmur", "Samarinda Ulu", "Simpan Pinjam", "40", "35", "15/03/2026", "Rp 250.000.000", "Rp 12.500.000"],  # 13 repeat of 2: dropped
    ]
    write_csv(os.path.join(HERE, "koperasi-salah.csv"), header, rows)


if __name__ == "__main__":
    main()
