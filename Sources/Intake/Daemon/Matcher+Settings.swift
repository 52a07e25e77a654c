import Matching
import Settings

extension Matcher {
    /// The matcher with the configuration's `[match]` thresholds: the one the daemon files with and the one
    /// `fileroom match` answers with, so both decide alike.
    public init(settings: FileroomSettings) {
        self.init(
            thresholds: MatchThresholds(
                autoFile: settings.match.autoFileThreshold, review: settings.match.reviewThreshold,
                margin: settings.match.margin
            )
        )
    }
}
