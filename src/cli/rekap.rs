//! `rekap`: the recap of the imported cooperatives per group.

use std::collections::HashMap;
use std::io::Write;
use std::process::ExitCode;

use super::{Context, Format};
use crate::case::Nik;
use crate::import::{self, GroupBy, Keragaan, RekapRow};
use crate::render;

/// Recap the imported cooperatives per group: count, active, members,
/// capital, assets, business volume and SHU, with a total row
///
/// Each cooperative counts once, with the record of its latest case.
/// Money is shown as rupiah in tables (Rp 1.250.000) and as plain whole
/// numbers in JSON and CSV.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Group by
    #[arg(long, value_enum, default_value_t = GroupBy::Sektor)]
    by: GroupBy,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    // Cases come in id order: a later case's record replaces an earlier
    // one. Only the records are kept, not the cases.
    let mut latest: HashMap<Nik, Keragaan> = HashMap::new();
    let bad = ctx.store.each_case(|case| {
        if let Some(record) = case.keragaan {
            latest.insert(case.koperasi.nik, record);
        }
    })?;
    let failed = super::report_bad_files(&bad);
    let mut records: Vec<&Keragaan> = latest.values().collect();
    records.sort_by(|a, b| a.nik.cmp(&b.nik));
    let rekap = import::rekap(records, args.by);

    let mut out = super::stdout();
    match ctx.format {
        Format::Json => render::json(&mut out, &rekap)?,
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            for row in rekap.groups.iter().chain(std::iter::once(&rekap.total)) {
                csv.serialize(row)?;
            }
            csv.flush()?;
        }
        Format::Table => {
            let mut table = render::table(&[
                args.by.name(),
                "Koperasi",
                "Aktif",
                "Anggota pria",
                "Anggota wanita",
                "Anggota",
                "Modal sendiri",
                "Modal luar",
                "Aset",
                "Volume usaha",
                "SHU",
            ]);
            for row in rekap.groups.iter().chain(std::iter::once(&rekap.total)) {
                table.add_row(cells(row));
            }
            for column in 1..=10 {
                if let Some(c) = table.column_mut(column) {
                    c.set_cell_alignment(comfy_table::CellAlignment::Right);
                }
            }
            writeln!(out, "{table}")?;
        }
    }
    super::finish(out, super::failure_if(failed))
}

fn cells(row: &RekapRow) -> Vec<String> {
    vec![
        row.group.clone(),
        row.count.to_string(),
        row.active.to_string(),
        row.anggota_pria.to_string(),
        row.anggota_wanita.to_string(),
        row.anggota_total.to_string(),
        import::rupiah(row.modal_sendiri),
        import::rupiah(row.modal_luar),
        import::rupiah(row.aset),
        import::rupiah(row.volume_usaha),
        import::rupiah(row.shu),
    ]
}
