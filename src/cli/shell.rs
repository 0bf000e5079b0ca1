//! `completions` and `man`: shell completion scripts and manual pages, made
//! from the same clap definitions that parse the command line, so they
//! cannot drift from it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap_complete::Shell;
use clap_mangen::Man;
use rust_i18n::t;

const BIN: &str = "koperasi-sop";

const COMPLETIONS_INSTALL: &str = "Install:
  bash
    koperasi-sop completions bash > ~/.local/share/bash-completion/completions/koperasi-sop
  zsh (with ~/.zfunc in $fpath)
    koperasi-sop completions zsh > ~/.zfunc/_koperasi-sop
  fish
    koperasi-sop completions fish > ~/.config/fish/completions/koperasi-sop.fish
  PowerShell (add to $PROFILE)
    koperasi-sop completions powershell | Out-String | Invoke-Expression";

const MAN_INSTALL: &str = "Install:
  koperasi-sop man > ~/.local/share/man/man1/koperasi-sop.1
  koperasi-sop man --dir ~/.local/share/man/man1   (a page per subcommand too)";

/// Print a shell completion script (bash, zsh, fish, powershell, elvish)
#[derive(Debug, clap::Args)]
#[command(after_long_help = COMPLETIONS_INSTALL)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    shell: Shell,
}

/// Print the manual page (roff), or write one page per subcommand
#[derive(Debug, clap::Args)]
#[command(after_long_help = MAN_INSTALL)]
pub struct ManArgs {
    /// Write koperasi-sop.1 and a page per subcommand (koperasi-sop-status.1,
    /// ...) into DIR, creating it if needed, and print their paths
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

pub fn completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    // The generator panics on a failed write; a buffer cannot fail, and our
    // own write reports a closed pipe as an error like every command.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), BIN, &mut script);
    if args.shell == Shell::Bash {
        script = bash_subcommand_states(&String::from_utf8_lossy(&script)).into_bytes();
    }
    let mut out = super::stdout();
    out.write_all(&script)?;
    super::finish(out, ExitCode::SUCCESS)
}

/// Respells the states of the bash script's subcommand arms the way its
/// dispatch loop spells them. clap_complete escapes the hyphen of a bin name
/// as `__` in the loop but as `__subcmd__` in the arms, so with a hyphenated
/// name no subcommand's options ever complete (clap-rs/clap#6421). A no-op
/// once clap_complete spells both alike.
fn bash_subcommand_states(script: &str) -> String {
    let wrong = BIN.replace('-', "__subcmd__");
    let right = BIN.replace('-', "__");
    script
        .split_inclusive('\n')
        .map(|line| {
            let label = line.trim_start();
            match label.strip_prefix(&wrong) {
                Some(rest) if rest.trim_end().ends_with(')') => {
                    let indent = &line[..line.len() - label.len()];
                    format!("{indent}{right}{rest}")
                }
                _ => line.to_string(),
            }
        })
        .collect()
}

pub fn man(args: ManArgs) -> anyhow::Result<ExitCode> {
    let cmd = super::command().disable_help_subcommand(true);
    let mut out = super::stdout();
    match args.dir {
        None => {
            let mut page = Vec::new();
            Man::new(cmd).render(&mut page)?;
            out.write_all(&page)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| t!("shell.cannot_create", path = dir.display()))?;
            let mut cmd = cmd;
            cmd.build();
            for path in write_pages(cmd, &dir)? {
                writeln!(out, "{}", path.display())?;
            }
        }
    }
    super::finish(out, ExitCode::SUCCESS)
}

/// Writes the page of `cmd` and of each subcommand, depth first; returns
/// the paths written.
fn write_pages(cmd: clap::Command, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let man = Man::new(cmd.clone());
    let path = dir.join(man.get_filename());
    let mut page = Vec::new();
    man.render(&mut page)?;
    std::fs::write(&path, page).with_context(|| t!("shell.cannot_write", path = path.display()))?;
    written.push(path);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        written.extend(write_pages(sub.clone(), dir)?);
    }
    Ok(written)
}
