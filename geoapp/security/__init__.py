"""Who is asking: participant tokens for residents, sessions for planners."""
