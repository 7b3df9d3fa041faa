//! Zip and gzip'd tar archives of a project: one top-level folder, executable bits kept, no
//! timestamps (the same project packs to the same bytes), and no path that leaves the folder.

use std::collections::BTreeSet;
use std::io::Write;

use flate2::write::GzEncoder;

/// The archive formats `serve` hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Zip,
    Tgz,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Zip => "zip",
            Self::Tgz => "tar.gz",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Zip => "application/zip",
            Self::Tgz => "application/gzip",
        }
    }
}

/// One file of the project, its path relative to the top folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub contents: Vec<u8>,
    pub executable: bool,
}

/// Why a project could not be packed.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A path that would land outside the top folder once unpacked (or is not a plain relative path).
    #[error("the archive path `{0}` would leave the project folder; nothing was packed")]
    Escapes(String),
    #[error("could not write the archive: {0}")]
    Io(#[from] std::io::Error),
    #[error("could not write the zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
}

/// Every entry's time: 1980-01-01 00:00 UTC, the earliest a zip can hold, in both formats.
const EPOCH_1980: u64 = 315_532_800;

/// Packs `entries` under the folder `top`, in path order, each checked by [`contained`].
///
/// Errors: [`ArchiveError::Escapes`] for a hostile `top` or entry path, before anything is packed.
pub fn pack(top: &str, entries: &[Entry], format: Format) -> Result<Vec<u8>, ArchiveError> {
    contained(top)?;
    let mut files: Vec<_> = entries.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut folders = BTreeSet::from([top.to_owned()]);
    for file in &files {
        contained(&file.path)?;
        let mut parent = std::path::Path::new(&file.path).parent();
        while let Some(folder) = parent.filter(|p| !p.as_os_str().is_empty()) {
            folders.insert(format!("{top}/{}", folder.display()));
            parent = folder.parent();
        }
    }
    match format {
        Format::Zip => zip(top, &folders, &files),
        Format::Tgz => tgz(top, &folders, &files),
    }
}

/// Refuses a path that is empty, absolute, has `.`/`..`/empty components, a backslash (a folder
/// separator to Windows unpackers) or a control character: what zip-slip attacks are made of.
pub fn contained(path: &str) -> Result<(), ArchiveError> {
    let bad = path.is_empty()
        || path.starts_with('/')
        || path.contains('\\')
        || path.chars().any(char::is_control)
        || path.split('/').any(|part| part.is_empty() || part == "." || part == "..")
        // `C:foo` is relative on Unix and a drive on Windows.
        || path.split('/').next().is_some_and(|first| first.contains(':'));
    if bad { Err(ArchiveError::Escapes(path.to_owned())) } else { Ok(()) }
}

fn mode(entry: &Entry) -> u32 {
    if entry.executable { 0o755 } else { 0o644 }
}

fn zip(top: &str, folders: &BTreeSet<String>, files: &[&Entry]) -> Result<Vec<u8>, ArchiveError> {
    use zip::write::SimpleFileOptions;
    let base = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for folder in folders {
        writer.add_directory(folder.as_str(), base.unix_permissions(0o755))?;
    }
    for file in files {
        writer.start_file(format!("{top}/{}", file.path), base.unix_permissions(mode(file)))?;
        writer.write_all(&file.contents)?;
    }
    Ok(writer.finish()?.into_inner())
}

fn tgz(top: &str, folders: &BTreeSet<String>, files: &[&Entry]) -> Result<Vec<u8>, ArchiveError> {
    // flate2 writes no file name and a zero time into the gzip header.
    let mut tar = tar::Builder::new(GzEncoder::new(Vec::new(), flate2::Compression::default()));
    tar.mode(tar::HeaderMode::Deterministic);
    for folder in folders {
        let mut header = header(tar::EntryType::Directory, 0o755, 0);
        tar.append_data(&mut header, format!("{folder}/"), std::io::empty())?;
    }
    for file in files {
        let mut header = header(tar::EntryType::Regular, mode(file), file.contents.len() as u64);
        tar.append_data(&mut header, format!("{top}/{}", file.path), file.contents.as_slice())?;
    }
    Ok(tar.into_inner()?.finish()?)
}

fn header(kind: tar::EntryType, mode: u32, size: u64) -> tar::Header {
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(kind);
    header.set_mode(mode);
    header.set_size(size);
    header.set_mtime(EPOCH_1980);
    header.set_uid(0);
    header.set_gid(0);
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, executable: bool) -> Entry {
        Entry { path: path.to_owned(), contents: format!("contents of {path}\n").into_bytes(), executable }
    }

    #[test]
    fn hostile_paths_are_refused_before_anything_is_packed() {
        for path in [
            "",
            "/etc/passwd",
            "../outside",
            "a/../../outside",
            "a/./b",
            "a//b",
            "a\\..\\b",
            "C:evil",
            "line\nbreak",
            "nul\0byte",
        ] {
            for format in [Format::Zip, Format::Tgz] {
                let error = pack("demo", &[entry("ok.txt", false), entry(path, false)], format).expect_err("refused");
                assert!(matches!(error, ArchiveError::Escapes(ref p) if p == path), "{path:?}: {error}");
            }
            assert!(pack(path, &[entry("ok.txt", false)], Format::Zip).is_err(), "top folder {path:?}");
        }
    }

    #[test]
    fn the_same_files_pack_to_the_same_bytes_in_any_order() {
        let files = [entry("b/run.sh", true), entry("a.txt", false), entry("b/c/d.txt", false)];
        let mut reversed = files.clone();
        reversed.reverse();
        for format in [Format::Zip, Format::Tgz] {
            assert_eq!(pack("demo", &files, format).expect("ok"), pack("demo", &reversed, format).expect("ok"));
        }
    }

    #[test]
    fn a_zip_holds_every_file_under_the_top_folder_with_its_mode() {
        let bytes = pack("demo", &[entry("b/run.sh", true), entry("a.txt", false)], Format::Zip).expect("ok");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("ok");
        let names: Vec<_> =
            (0..zip.len()).map(|i| zip.by_index(i).expect("ok").name().expect("ok").into_owned()).collect();
        assert_eq!(names, ["demo/", "demo/b/", "demo/a.txt", "demo/b/run.sh"]);
        assert_eq!(zip.by_name("demo/b/run.sh").expect("ok").unix_mode().expect("ok") & 0o777, 0o755);
        assert_eq!(zip.by_name("demo/a.txt").expect("ok").unix_mode().expect("ok") & 0o777, 0o644);
    }

    #[test]
    fn a_tarball_holds_every_file_under_the_top_folder_with_its_mode_and_no_time() {
        let bytes = pack("demo", &[entry("b/run.sh", true), entry("a.txt", false)], Format::Tgz).expect("ok");
        let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        let entries: Vec<_> = tar
            .entries()
            .expect("ok")
            .map(|e| {
                let e = e.expect("ok");
                let header = e.header();
                (e.path().expect("ok").display().to_string(), header.mode().expect("ok"), header.mtime().expect("ok"))
            })
            .collect();
        assert_eq!(
            entries,
            [
                ("demo/".to_owned(), 0o755, EPOCH_1980),
                ("demo/b/".to_owned(), 0o755, EPOCH_1980),
                ("demo/a.txt".to_owned(), 0o644, EPOCH_1980),
                ("demo/b/run.sh".to_owned(), 0o755, EPOCH_1980),
            ]
        );
    }
}
