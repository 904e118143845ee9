#pragma once
/// \file
/// A marker member that lets an aggregate validate its fields when it is built.

namespace iaf::detail {

/// The last member of a validated aggregate current, initialised by `validated_{*this}`: its
/// constructor calls the owner's public `validate()`. Default member initializers run in
/// declaration order after the fields before them are set, so an aggregate built with designated
/// initializers (`iaf::pulse{.onset = 10, .duration = 5, .amplitude = 1}`) is validated exactly as
/// a constructor would validate it, and invalid parameters throw before the object exists.
///
/// It has no default constructor, so `.validated_ = {}` in a designated initializer does not
/// compile: the check cannot be skipped by accident. The member is deliberately not
/// `[[no_unique_address]]`: clang 14 drops the default initializer of such an empty member when
/// the aggregate is built inside an initializer list or array with constant fields
/// (`std::vector<iaf::sine>{{.frequency = -1}}` was accepted). One byte, padded to eight, is the
/// price of a check that runs on every compiler.
class validated {
public:
    /// Validates `owner` (throws what its `validate()` throws).
    template <typename Owner>
    explicit validated(const Owner& owner) {
        owner.validate();
    }
};

}  // namespace iaf::detail
