//! The names generated bindings import in their impl blocks
//! (`use ::wip_runtime::schema::prelude::*;`): the core and alloc items
//! they use, under fixed paths so that a module's own `Result` alias
//! cannot change their meaning and so that the same code builds with and
//! without std, the engine as `wip`, and the traits that give typed
//! requests and messages their provided methods.

pub use crate as wip;
pub use crate::host::Host;
pub use crate::ranges::Ranges;
pub use crate::typed::{TypedCommand as _, TypedFinal as _, TypedMessage as _};
pub use alloc::{borrow::Cow, boxed::Box, string::String, vec::Vec};
pub use core::net::Ipv4Addr;
pub use core::{
    convert::{From, Into},
    fmt,
    option::Option::{self, None, Some},
    result::Result::{self, Err, Ok},
    str::FromStr,
};
