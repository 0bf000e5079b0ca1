use super::*;
use proptest::prelude::*;
use sha2::{Digest, Sha256};

const IDENTITAS: &str = r#"[identitas]
nomor = "001/UJI"
nama = "Uji"
pemerintah = "Pemerintah Kota Uji"
instansi = "Dinas Uji"
bidang = "Bidang Uji"
tanggal_pembuatan = 2026-01-02
tanggal_efektif = 2026-01-03
dasar_hukum = []
kualifikasi_pelaksana = []
keterkaitan = []
peralatan_perlengkapan = []
peringatan = []
pencatatan_pendataan = []

[identitas.disahkan_oleh]
jabatan = "Kepala Dinas"
nama = "Nama Pengesah"
"#;

const ROLES: &str = r#"
[[pelaksana]]
id = "staf"
nama = "Staf"

[[pelaksana]]
id = "kepala"
nama = "Kepala"
"#;

/// A `[[prosedur]]` table done by "staf" in "1 jam", with `extra` lines appended.
fn step(no: &str, extra: &str) -> String {
    format!(
        "\n[[prosedur]]\nno = {no}\nuraian = \"Langkah {no}\"\npelaksana = [\"staf\"]\nkelengkapan = \"Berkas\"\nwaktu = \"1 jam\"\noutput = \"Hasil\"\n{extra}"
    )
}

fn sop(steps: &[String]) -> String {
    format!("{IDENTITAS}{ROLES}{}", steps.concat())
}

/// 1-based line of the `nth` (0-based) occurrence of `needle`.
fn line_of(src: &str, needle: &str, nth: usize) -> usize {
    let (offset, _) = src
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle:?} not in the test text"));
    src[..offset].matches('\n').count() + 1
}

fn problems(src: &str) -> Vec<Problem> {
    match Sop::from_toml(src, "uji.toml") {
        Err(SopError::Invalid { origin, problems }) => {
            assert_eq!(origin, "uji.toml");
            problems
        }
        Err(other) => panic!("expected broken rules, got {other}"),
        Ok(_) => panic!("expected broken rules, the SOP loaded"),
    }
}

/// Asserts exactly one problem, at the line of `needle`, whose message has every piece.
fn assert_one(src: &str, needle: &str, nth: usize, pieces: &[&str]) -> Problem {
    let found = problems(src);
    assert_eq!(found.len(), 1, "expected one problem, got {found:#?}");
    let problem = found.into_iter().next().unwrap();
    assert_eq!(problem.line, line_of(src, needle, nth), "{problem:?}");
    for piece in pieces {
        assert!(
            problem.message.contains(piece),
            "{piece:?} not in {:?}",
            problem.message
        );
    }
    problem
}

fn syntax(src: &str) -> (usize, usize, String) {
    match Sop::from_toml(src, "uji.toml") {
        Err(SopError::Syntax {
            origin,
            line,
            column,
            message,
        }) => {
            assert_eq!(origin, "uji.toml");
            (line, column, message)
        }
        Err(other) => panic!("expected a syntax error, got {other}"),
        Ok(_) => panic!("expected a syntax error, the SOP loaded"),
    }
}

// The embedded SOP

#[test]
fn embedded_sop_loads_as_the_seed_says() {
    let sop = Sop::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sop.steps.len(), 10);
    assert_eq!(
        sop.steps.iter().map(|s| s.number).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    let ids: Vec<&str> = sop.roles.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "jfu",
            "jf_pengawas",
            "kepala_bidang",
            "sekretaris",
            "kepala_dinas"
        ]
    );

    let step = |n| sop.step(n).unwrap();
    assert_eq!(
        step(2).flow,
        Flow::Decision {
            ya: Target::Step(3),
            tidak: Target::Step(1)
        }
    );
    assert!(step(2).keterangan.contains("TIDAK"));
    assert_eq!(step(2).actors, ["kepala_bidang"]);
    assert_eq!(
        step(5).actors,
        ["kepala_bidang", "sekretaris", "kepala_dinas"]
    );
    assert_eq!(
        step(6).waktu,
        Waktu {
            days: 2,
            minutes: 0
        }
    );
    assert_eq!(
        step(1).waktu,
        Waktu {
            days: 0,
            minutes: 30
        }
    );
    assert_eq!(step(1).flow, Flow::Next(Target::Step(2)));
    assert_eq!(step(9).flow, Flow::Next(Target::Step(10)));
    assert_eq!(step(10).flow, Flow::Next(Target::End));
    assert_eq!(
        step(1).uraian,
        "Mengumpulkan bahan dan data keragaan koperasi."
    );
    assert_eq!(step(10).output, "Dokumen");
    for s in &sop.steps {
        assert!(!s.actors.is_empty() && !s.kelengkapan.is_empty() && !s.output.is_empty());
    }
    assert_eq!(sop.first_step().number, 1);
    assert_eq!(
        sop.role("jf_pengawas").unwrap().nama,
        "JF Pengawas Koperasi"
    );
}

#[test]
fn embedded_identity_matches_the_seed() {
    let sop = Sop::embedded().unwrap_or_else(|e| panic!("{e}"));
    let id = &sop.identity;
    assert_eq!(id.nomor, "000.8.3.3 / 380 / 100.14");
    assert_eq!(id.pemerintah, "Pemerintah Kota Samarinda");
    assert_eq!(
        id.instansi,
        "Dinas Koperasi, Usaha Kecil Menengah dan Perindustrian Kota Samarinda"
    );
    let may_4 = NaiveDate::from_ymd_opt(2026, 5, 4).unwrap();
    assert_eq!(id.tanggal_pembuatan, may_4);
    assert_eq!(id.tanggal_efektif, may_4);
    assert_eq!(id.tanggal_revisi, None);
    assert_eq!(sop.version(), "2026-05-04");
    assert_eq!(id.disahkan_oleh.jabatan, "Kepala Dinas");
    assert_eq!(id.disahkan_oleh.nama, "JUSMARAMDHANA ALUS, SH.,M.Si");
    assert_eq!(id.disahkan_oleh.nip, "197110301994031002");
    assert_eq!(id.dasar_hukum.len(), 5);
    assert!(id.dasar_hukum[0].starts_with("Undang-Undang Nomor 25 Tahun 1992"));
    assert_eq!(id.kualifikasi_pelaksana.len(), 2);
    assert_eq!(id.keterkaitan.len(), 2);
    assert_eq!(id.peralatan_perlengkapan.len(), 4);
    assert_eq!(id.peringatan.len(), 1);
    assert_eq!(
        id.pencatatan_pendataan,
        ["Dokumen Data Keragaan Koperasi, Kertas Kerja Identifikasi"]
    );
}

#[test]
fn digest_and_source_identify_the_text() {
    let sop = Sop::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sop.source, EMBEDDED_SOURCE);
    let expected: String = Sha256::digest(EMBEDDED_SOURCE.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(sop.digest, expected);
    assert_eq!(sop.digest.len(), 64);
    let edited = EMBEDDED_SOURCE.replace("10 menit", "15 menit");
    let other = Sop::from_toml(&edited, "x").unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(other.digest, sop.digest);
}

// Loading what is valid

#[test]
fn minimal_sop_loads_with_default_flow_and_sorted_steps() {
    let src = sop(&[step("2", ""), step("1", ""), step("5", "")]);
    let sop = Sop::from_toml(&src, "uji.toml").unwrap_or_else(|e| panic!("{e}"));
    let flows: Vec<(u32, Flow)> = sop.steps.iter().map(|s| (s.number, s.flow)).collect();
    assert_eq!(
        flows,
        [
            (1, Flow::Next(Target::Step(2))),
            (2, Flow::Next(Target::Step(5))),
            (5, Flow::Next(Target::End)),
        ]
    );
    assert_eq!(sop.first_step().number, 1);
    assert_eq!(sop.identity.tanggal_revisi, None);
    assert_eq!(sop.identity.disahkan_oleh.nip, "");
    assert_eq!(sop.version(), "2026-01-03");
}

#[test]
fn lanjut_selesai_and_forward_jumps_load() {
    let src = sop(&[
        step("1", "[prosedur.keputusan]\nya = 3\ntidak = \"Selesai\"\n"),
        step("2", "lanjut = \"selesai\"\n"),
        step("3", "lanjut = 2\n"),
    ]);
    let sop = Sop::from_toml(&src, "uji.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sop.steps[0].flow,
        Flow::Decision {
            ya: Target::Step(3),
            tidak: Target::End
        }
    );
    assert_eq!(sop.steps[1].flow, Flow::Next(Target::End));
    assert_eq!(sop.steps[2].flow, Flow::Next(Target::Step(2)));
}

#[test]
fn tanggal_revisi_may_be_a_date() {
    let src = sop(&[step("1", "")]).replace(
        "tanggal_efektif = 2026-01-03",
        "tanggal_efektif = 2026-01-03\ntanggal_revisi = 2026-07-01",
    );
    let sop = Sop::from_toml(&src, "uji.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sop.identity.tanggal_revisi,
        NaiveDate::from_ymd_opt(2026, 7, 1)
    );
    assert_eq!(sop.version(), "2026-07-01");
}

// One test per rule

#[test]
fn rule_at_least_one_role() {
    let src = format!("{IDENTITAS}{}", step("1", ""));
    let found = problems(&src);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!((found[0].line, found[0].column), (1, 1));
    assert!(found[0].message.contains("has no roles"));
    assert!(found[0].message.contains("[[pelaksana]]"));
    // The step's actor cannot be declared either, and its message says why.
    assert_eq!(found[1].line, line_of(&src, "pelaksana = [\"staf\"]", 0));
    assert!(
        found[1].message.contains("no roles are declared yet"),
        "{found:?}"
    );

    let src = format!("\n\npelaksana = []\n{IDENTITAS}{}", step("1", ""));
    let found = problems(&src);
    assert_eq!((found[0].line, found[0].column), (3, 13));
    assert!(found[0].message.contains("has no roles"));
}

#[test]
fn rule_at_least_one_step() {
    let src = sop(&[]);
    let p = assert_one(&src, "[identitas]", 0, &["has no steps", "[[prosedur]]"]);
    assert_eq!((p.line, p.column), (1, 1));
}

#[test]
fn rule_role_id_not_empty() {
    let src = sop(&[step("1", "")]).replace("id = \"kepala\"", "id = \"\"");
    assert_one(
        &src,
        "id = \"\"",
        0,
        &["role id is empty", "\"kepala_bidang\""],
    );
}

#[test]
fn rule_role_id_lowercase_letters_digits_underscore() {
    let src = sop(&[step("1", "")]).replace("id = \"kepala\"", "id = \"Kepala Bidang\"");
    let p = assert_one(
        &src,
        "id = \"Kepala Bidang\"",
        0,
        &[
            "\"Kepala Bidang\"",
            "lowercase letters a-z, digits and _",
            "\"kepala_bidang\"",
        ],
    );
    assert_eq!(p.column, 6);
}

#[test]
fn rule_role_ids_unique() {
    let src = sop(&[step("1", "")]).replace("id = \"kepala\"", "id = \"staf\"");
    let first = line_of(&src, "id = \"staf\"", 0);
    assert_one(
        &src,
        "id = \"staf\"",
        1,
        &[
            "\"staf\" is declared twice",
            &format!("first on line {first}"),
        ],
    );
}

#[test]
fn rule_step_number_at_least_one() {
    let src = sop(&[step("1", ""), step("0", "")]);
    assert_one(&src, "no = 0", 0, &["step number 0 must be 1 or more"]);
    let src = sop(&[step("1", ""), step("-3", "")]);
    assert_one(&src, "no = -3", 0, &["step number -3 must be 1 or more"]);
    let src = sop(&[step("1", ""), step("5000000000", "")]);
    assert_one(&src, "no = 5000000000", 0, &["too large"]);
}

#[test]
fn rule_step_numbers_unique() {
    let src = sop(&[step("1", ""), step("2", ""), step("2", "")]);
    let first = line_of(&src, "no = 2", 0);
    assert_one(
        &src,
        "no = 2",
        1,
        &[
            "step number 2 is used twice",
            &format!("first on line {first}"),
        ],
    );
}

#[test]
fn rule_actor_is_a_declared_role() {
    let src = sop(&[step("1", ""), step("2", "")]).replacen(
        "pelaksana = [\"staf\"]",
        "pelaksana = [\"staf\", \"kabid\"]",
        1,
    );
    let p = assert_one(
        &src,
        "pelaksana = [\"staf\", \"kabid\"]",
        0,
        &[
            "step 1",
            "\"kabid\" is not a declared role",
            "the roles are staf, kepala",
        ],
    );
    assert_eq!(p.column, 22, "points at the unknown id itself");
}

#[test]
fn rule_actor_listed_once() {
    let src =
        sop(&[step("1", "")]).replace("pelaksana = [\"staf\"]", "pelaksana = [\"staf\", \"staf\"]");
    let p = assert_one(
        &src,
        "pelaksana = [\"staf\", \"staf\"]",
        0,
        &["\"staf\" is listed twice"],
    );
    assert_eq!(p.column, 22);
}

#[test]
fn rule_step_has_an_actor() {
    let src = sop(&[step("1", ""), step("2", "")]).replacen(
        "pelaksana = [\"staf\"]",
        "pelaksana = []",
        1,
    );
    assert_one(
        &src,
        "pelaksana = []\nkelengkapan",
        0,
        &["step 1 has no pelaksana", "pelaksana = [\"staf\"]"],
    );
}

#[test]
fn rule_waktu_parses() {
    let src = sop(&[step("1", ""), step("2", "")]).replacen(
        "waktu = \"1 jam\"",
        "waktu = \"1,5 jam\"",
        1,
    );
    assert_one(
        &src,
        "waktu = \"1,5 jam\"",
        0,
        &[
            "step 1",
            "cannot read waktu \"1,5 jam\"",
            "\"1 jam 30 menit\"",
        ],
    );
    let src = sop(&[step("1", "")]).replace("waktu = \"1 jam\"", "waktu = \"2 detik\"");
    assert_one(&src, "waktu = ", 0, &["unknown unit \"detik\""]);
}

#[test]
fn rule_lanjut_target_exists() {
    let src = sop(&[step("1", "lanjut = 9\n"), step("2", "")]);
    assert_one(
        &src,
        "lanjut = 9",
        0,
        &[
            "step 1: lanjut = 9 leads to no step",
            "the steps are 1-2",
            "\"selesai\"",
        ],
    );
}

#[test]
fn rule_target_is_a_number_or_selesai() {
    let src = sop(&[step("1", "lanjut = \"akhir\"\n")]);
    assert_one(
        &src,
        "lanjut =",
        0,
        &["\"akhir\" is neither a step number nor \"selesai\""],
    );
    let src = sop(&[step("1", "lanjut = \"2\"\n"), step("2", "")]);
    assert_one(&src, "lanjut =", 0, &["quoted", "lanjut = 2"]);
    let src = sop(&[step("1", "lanjut = true\n")]);
    assert_one(
        &src,
        "lanjut =",
        0,
        &["must be a step number or \"selesai\", not a boolean"],
    );
}

#[test]
fn rule_decision_targets_exist() {
    let src = sop(&[
        step("1", "[prosedur.keputusan]\nya = 2\ntidak = 0\n"),
        step("2", ""),
    ]);
    assert_one(
        &src,
        "tidak = 0",
        0,
        &["step 1: tidak = 0 leads to no step"],
    );
    let src = sop(&[
        step("1", "[prosedur.keputusan]\nya = 7\ntidak = 1\n"),
        step("2", ""),
    ]);
    assert_one(&src, "ya = 7", 0, &["step 1: ya = 7 leads to no step"]);
}

#[test]
fn rule_decision_has_both_branches() {
    let src = sop(&[step("1", "[prosedur.keputusan]\nya = 2\n"), step("2", "")]);
    assert_one(
        &src,
        "[prosedur.keputusan]",
        0,
        &["step 1: keputusan needs both ya and tidak", "add tidak ="],
    );
    let src = sop(&[
        step("1", "[prosedur.keputusan]\ntidak = 1\n"),
        step("2", ""),
    ]);
    assert_one(&src, "[prosedur.keputusan]", 0, &["add ya ="]);
    let src = sop(&[step("1", "keputusan = {}\n"), step("2", "")]);
    assert_one(
        &src,
        "keputusan = {}",
        0,
        &["add ya = <step> and tidak = <step>"],
    );
}

#[test]
fn rule_not_both_lanjut_and_keputusan() {
    let src = sop(&[
        step("1", "lanjut = 2\n[prosedur.keputusan]\nya = 2\ntidak = 1\n"),
        step("2", ""),
    ]);
    assert_one(
        &src,
        "lanjut = 2",
        0,
        &["step 1 has both lanjut and keputusan", "remove lanjut"],
    );
}

#[test]
fn rule_every_step_reachable_from_the_first() {
    let src = sop(&[
        step("1", "lanjut = 3\n"),
        step("2", ""),
        step("3", "lanjut = \"selesai\"\n"),
        step("4", "lanjut = 2\n"),
    ]);
    let found = problems(&src);
    // Step 4 is reached only from step 2, so both are cut off.
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].line, line_of(&src, "[[prosedur]]", 1));
    assert!(found[0]
        .message
        .contains("step 2 cannot be reached from the first step (1)"));
    assert_eq!(found[1].line, line_of(&src, "[[prosedur]]", 3));
    assert!(found[1].message.contains("step 4 cannot be reached"));
}

#[test]
fn rule_selesai_reachable_from_every_step() {
    let src = sop(&[
        step("1", ""),
        step("2", "lanjut = 3\n"),
        step("3", "lanjut = 2\n"),
        step("4", ""),
    ]);
    let found = problems(&src);
    // Step 4 is unreachable too: the loop swallows the flow.
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(found[0].line, line_of(&src, "lanjut = 3", 0));
    assert!(found[0]
        .message
        .contains("steps 2 → 3 → 2 loop with no way to selesai"));
    assert!(found[1].message.contains("step 4 cannot be reached"));
}

#[test]
fn rule_loop_through_a_decision_without_exit() {
    let src = sop(&[
        step("1", ""),
        step("2", "[prosedur.keputusan]\nya = 1\ntidak = 2\n"),
    ]);
    assert_one(
        &src,
        "[[prosedur]]",
        0,
        &["steps 1 → 2 → 1 loop", "lanjut = \"selesai\""],
    );
    let src = sop(&[step("1", "lanjut = 1\n")]);
    assert_one(&src, "lanjut = 1", 0, &["steps 1 → 1 loop"]);
}

#[test]
fn rule_each_closed_loop_is_reported_once() {
    let src = sop(&[
        step("1", "[prosedur.keputusan]\nya = 2\ntidak = 3\n"),
        step("2", "lanjut = 2\n"),
        step("3", "lanjut = 3\n"),
    ]);
    let found = problems(&src);
    let shown: Vec<(usize, &str)> = found.iter().map(|p| (p.line, p.message.as_str())).collect();
    assert_eq!(found.len(), 2, "{shown:#?}");
    assert_eq!(found[0].line, line_of(&src, "lanjut = 2", 0));
    assert!(found[0].message.starts_with("steps 2 → 2 loop"));
    assert_eq!(found[1].line, line_of(&src, "lanjut = 3", 0));
    assert!(found[1].message.starts_with("steps 3 → 3 loop"));
}

#[test]
fn rule_a_loop_with_an_exit_is_fine() {
    let src = sop(&[
        step("1", ""),
        step("2", "[prosedur.keputusan]\nya = \"selesai\"\ntidak = 1\n"),
    ]);
    assert!(Sop::from_toml(&src, "uji.toml").is_ok());
}

#[test]
fn rule_tanggal_fields_are_dates() {
    let base = sop(&[step("1", "")]);
    let src = base.replace(
        "tanggal_pembuatan = 2026-01-02",
        "tanggal_pembuatan = \"4 Mei 2026\"",
    );
    assert_one(
        &src,
        "tanggal_pembuatan",
        0,
        &[
            "tanggal_pembuatan = \"4 Mei 2026\" is not a date",
            "tanggal_pembuatan = 2026-05-04",
        ],
    );
    let src = base.replace("tanggal_efektif = 2026-01-03", "tanggal_efektif = \"-\"");
    assert_one(
        &src,
        "tanggal_efektif",
        0,
        &["tanggal_efektif cannot be \"-\""],
    );
    let src = base.replace(
        "tanggal_efektif = 2026-01-03",
        "tanggal_efektif = 2026-01-03T08:00:00",
    );
    assert_one(
        &src,
        "tanggal_efektif",
        0,
        &["not a plain date", "no time of day"],
    );
    let src = base.replace("tanggal_efektif = 2026-01-03", "tanggal_efektif = 20260103");
    assert_one(
        &src,
        "tanggal_efektif",
        0,
        &["must be a date, not an integer"],
    );
    let src = base.replace(
        "tanggal_efektif = 2026-01-03",
        "tanggal_efektif = 2026-01-03\ntanggal_revisi = \"belum\"",
    );
    assert_one(
        &src,
        "tanggal_revisi",
        0,
        &["is not a date", "or \"-\" when the SOP was never revised"],
    );
    let src = base.replace(
        "tanggal_efektif = 2026-01-03",
        "tanggal_efektif = 2026-01-03\ntanggal_revisi = \"-\"",
    );
    assert!(Sop::from_toml(&src, "uji.toml").is_ok());
}

#[test]
fn all_problems_are_collected_in_file_order() {
    let src = sop(&[step("1", "lanjut = 8\n"), step("2", "")])
        .replace(
            "tanggal_efektif = 2026-01-03",
            "tanggal_efektif = \"kemarin\"",
        )
        .replace("id = \"kepala\"", "id = \"Kepala\"")
        .replacen("waktu = \"1 jam\"", "waktu = \"sebentar\"", 2);
    let found = problems(&src);
    let lines: Vec<usize> = found.iter().map(|p| p.line).collect();
    assert_eq!(
        lines,
        [
            line_of(&src, "tanggal_efektif", 0),
            line_of(&src, "id = \"Kepala\"", 0),
            line_of(&src, "waktu = \"sebentar\"", 0),
            line_of(&src, "lanjut = 8", 0),
            line_of(&src, "waktu = \"sebentar\"", 1),
        ],
        "{found:#?}"
    );
    let shown = SopError::Invalid {
        origin: "uji.toml".into(),
        problems: found,
    }
    .to_string();
    assert_eq!(shown.lines().count(), 5);
    let first = shown.lines().next().unwrap();
    assert!(
        first.starts_with(&format!(
            "uji.toml:{}:",
            line_of(&src, "tanggal_efektif", 0)
        )),
        "{first}"
    );
}

// Syntax, type, unknown and missing keys

#[test]
fn syntax_error_reports_line_and_column() {
    let src = sop(&[step("1", "keterangan = \"tidak ditutup\n")]);
    let (line, column, message) = syntax(&src);
    assert_eq!(line, line_of(&src, "keterangan", 0));
    assert_eq!(column, 28);
    assert!(message.contains("string"), "{message}");
    assert!(!message.contains('\n'));
}

#[test]
fn wrong_type_is_a_syntax_error_with_a_hint() {
    let src = sop(&[step("1", "")]).replace("waktu = \"1 jam\"", "waktu = 30");
    let (line, column, message) = syntax(&src);
    assert_eq!((line, column), (line_of(&src, "waktu = 30", 0), 9));
    assert!(
        message.starts_with("invalid type: integer `30`, expected a string"),
        "{message}"
    );
    assert!(message.contains("waktu = \"30 menit\""), "{message}");

    let src = sop(&[step("1", "")]).replace("pelaksana = [\"staf\"]", "pelaksana = \"staf\"");
    let (line, _, message) = syntax(&src);
    assert_eq!(line, line_of(&src, "pelaksana = \"staf\"", 0));
    assert!(message.contains("pelaksana = [\"jfu\"]"), "{message}");
}

#[test]
fn unknown_key_is_a_syntax_error() {
    let src = sop(&[step("1", "catatan = \"x\"\n")]);
    let (line, column, message) = syntax(&src);
    assert_eq!((line, column), (line_of(&src, "catatan = ", 0), 1));
    assert!(message.contains("unknown field `catatan`"), "{message}");
    assert!(
        message.contains("remove catatan or correct its spelling"),
        "{message}"
    );
}

#[test]
fn lanjut_inside_keputusan_gets_its_own_hint() {
    let src = sop(&[
        step("1", "[prosedur.keputusan]\nya = 1\ntidak = 1\nlanjut = 2\n"),
        step("2", ""),
    ]);
    let (line, _, message) = syntax(&src);
    assert_eq!(line, line_of(&src, "lanjut = 2", 0));
    assert!(
        message.contains("move lanjut above [prosedur.keputusan]"),
        "{message}"
    );
}

#[test]
fn duplicate_key_is_a_syntax_error() {
    let src = sop(&[step("1", "waktu = \"2 jam\"\n")]);
    let (line, _, message) = syntax(&src);
    assert_eq!(line, line_of(&src, "waktu = \"2 jam\"", 0));
    assert!(message.contains("duplicate key"), "{message}");
    assert!(message.contains("only once"), "{message}");
}

#[test]
fn missing_key_is_a_syntax_error_at_its_table() {
    let src = sop(&[step("1", ""), step("2", "")]).replacen("waktu = \"1 jam\"\n", "", 2);
    let (line, _, message) = syntax(&src);
    assert_eq!(line, line_of(&src, "[[prosedur]]", 0));
    assert!(message.starts_with("missing field `waktu`"), "{message}");
    assert!(message.contains("waktu = \"30 menit\""), "{message}");

    let (line, column, message) = syntax("judul = 1\n");
    assert_eq!((line, column), (1, 1));
    assert!(message.contains("unknown field `judul`"), "{message}");
    let (_, _, message) = syntax("");
    assert!(message.contains("missing field `identitas`"), "{message}");
}

#[test]
fn syntax_error_displays_origin_line_column() {
    let err = Sop::from_toml("[identitas\n", "a/b.toml").unwrap_err();
    assert!(err.to_string().starts_with("a/b.toml:1:"), "{err}");
}

// Files

#[test]
fn load_reads_a_file_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sop.toml");
    std::fs::write(&path, EMBEDDED_SOURCE).unwrap();
    let sop = Sop::load(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sop.steps.len(), 10);

    std::fs::write(&path, "[identitas\n").unwrap();
    match Sop::load(&path) {
        Err(SopError::Syntax { origin, .. }) => assert_eq!(origin, path.display().to_string()),
        other => panic!("{other:?}"),
    }

    let missing = dir.path().join("tidak-ada.toml");
    let err = Sop::load(&missing).unwrap_err();
    assert!(matches!(err, SopError::Io { .. }));
    assert!(err.to_string().contains("tidak-ada.toml"), "{err}");
}

// Never a panic

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn from_toml_never_panics_on_arbitrary_text(text in "\\PC*") {
        let _ = Sop::from_toml(&text, "fuzz");
    }

    #[test]
    fn from_toml_never_panics_on_toml_like_text(text in "[\\[\\]a-z_ =\"0-9\n{},.-]{0,200}") {
        let _ = Sop::from_toml(&text, "fuzz");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn from_toml_never_panics_on_a_damaged_embedded_sop(
        start in 0..EMBEDDED_SOURCE.len(),
        len in 0usize..64,
        replacement in proptest::collection::vec(any::<u8>(), 0..8),
    ) {
        let bytes = EMBEDDED_SOURCE.as_bytes();
        let end = (start + len).min(bytes.len());
        let mut damaged = bytes[..start].to_vec();
        damaged.extend_from_slice(&replacement);
        damaged.extend_from_slice(&bytes[end..]);
        let text = String::from_utf8_lossy(&damaged);
        if let Err(SopError::Invalid { problems, .. }) = Sop::from_toml(&text, "fuzz") {
            prop_assert!(!problems.is_empty());
            for p in problems {
                prop_assert!(p.line >= 1 && p.column >= 1);
            }
        }
    }
}
