//! Running the server from the command line (`teahouse admin …`), for what must work
//! before anyone can log in, or when nobody who can is around.

pub mod backup;
pub mod cli;
pub mod console;
pub mod routes;
pub mod settings;
