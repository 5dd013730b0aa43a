//! `creeplint server`: the language server of [`creeplint::server`], on standard input and output.

use super::{print_error, Exit};

pub fn run() -> Exit {
    match creeplint::server::run() {
        Ok(()) => Exit::Clean,
        Err(e) => {
            print_error(&format!("language server: {e}"));
            Exit::Error
        }
    }
}
