#pragma once
/// \file
/// A zero-size marker that lets an aggregate validate its fields when it is built.

namespace iaf::detail {

/// Returned by a current's private `validate()` and stored in an empty `[[no_unique_address]]`
/// member whose default initializer calls it. Default member initializers run in declaration
/// order after the fields before them are set, so an aggregate built with designated
/// initializers (`iaf::pulse{.onset = 10, .duration = 5, .amplitude = 1}`) is validated exactly as
/// a constructor would validate it, and invalid parameters throw before the object exists.
struct validated {};

}  // namespace iaf::detail
