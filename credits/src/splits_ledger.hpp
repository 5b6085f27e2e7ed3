// Internal: the ledger that carries income slice by slice through a sheet's agreements and shares.
#pragma once
#include <liner/credits/splits.hpp>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace liner::credits::detail_splits {

// The share of a track's income that a royalty agreement's base takes (for apportioning).
Decimal base_weight(const Agreement& a, const Volume& v);

// One payee: an agreement (royalty or share), or a plain master share holder without an agreement.
struct Holder {
  const Agreement* agreement = nullptr;
  std::string party, name, kind;
  std::vector<std::string> contributions;
  std::vector<std::size_t> covered;             // track indices
  Volume cum_volume;                            // income of the covered tracks so far
  std::vector<Slice> slices;                    // royalty agreements: covered income per slice
  Decimal earned;                               // royalty: contractual cumulative earnings (minor units)
  Decimal earned_pool;                          // share holders: cumulative pool earnings
  Decimal allocated, unfunded;                  // cumulative
  std::map<std::size_t, Decimal> track_amounts; // recorded slices: track -> amount
};

class Ledger {
public:
  Ledger(const Sheet& s, int minor);
  // Adds one slice of income (per track index), in time order. `record` keeps per-track amounts.
  void add(const std::string& start, const std::string& end, const std::vector<Volume>& per_track,
           bool record);
  // The pool weights of track t (holder index, percent) at the current cumulative volumes.
  std::vector<std::pair<std::size_t, Decimal>> pool_weights(std::size_t t, std::string_view date) const;
  // The settlement of holder h after its first `slices` slices, `pool_earned` from the pool by then.
  Accrual settle(std::size_t h, std::size_t slices, Decimal pool_earned, std::string_view as_of,
                 Derivation* d) const;

  void set_volume(const Volume& v) {
    for (auto& h : holders_)
      if (h.agreement) h.cum_volume = v;
  }
  std::size_t holders() const { return holders_.size(); }
  const Holder& holder(std::size_t i) const { return holders_[i]; }
  Holder& holder(std::size_t i) { return holders_[i]; }
  std::size_t slices() const { return slices_; }
  Decimal royalties_total() const { return royalties_total_; }
  Decimal pool_total() const { return pool_total_; }
  Decimal unallocated() const { return unallocated_; }
  Decimal gross() const { return gross_; }
  Decimal net() const { return net_; }
  Decimal fees() const { return fees_; }
  const std::vector<std::size_t>& capped_tracks() const { return capped_tracks_; }
  const std::vector<std::size_t>& unshared_tracks() const { return unshared_tracks_; }

private:
  struct TrackHolders {
    std::vector<std::size_t> agreements;                // share agreements covering the track
    std::vector<std::pair<std::size_t, Decimal>> plain; // plain holders and their shares
  };
  const Sheet& sheet_;
  int minor_;
  std::vector<Holder> holders_;
  std::vector<std::size_t> royalties_, shares_;
  std::vector<TrackHolders> track_holders_;
  std::size_t slices_ = 0;
  Decimal royalties_total_, pool_total_, unallocated_, gross_, net_, fees_;
  std::vector<std::size_t> capped_tracks_, unshared_tracks_;
};

} // namespace liner::credits::detail_splits
