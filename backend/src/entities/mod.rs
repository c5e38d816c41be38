//! sea-orm entities: the tables as the server sees them. Never serialised to clients;
//! each feature maps them to its `api` type.

pub mod refresh_token;
pub mod session;
pub mod user;
