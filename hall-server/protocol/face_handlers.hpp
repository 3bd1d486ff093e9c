#pragma once
// Face ID beyond the request handlers.
namespace daihoi::protocol {

class Hall;

// Deletes face check-in thumbnails whose retention has ended, every few hours
// (the app also does it once at start-up).
void scheduleThumbnailExpiry(Hall& hall);

}  // namespace daihoi::protocol
