//! Everything about passwords: hashing (argon2id), the policy a chosen
//! password must pass, and random temporary passwords.

pub mod hashing;
pub mod policy;
pub mod temporary;

pub use hashing::Hasher;
pub use policy::{PasswordPolicy, PolicyViolation};
