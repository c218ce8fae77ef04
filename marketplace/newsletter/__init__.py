"""The weekly newsletter: the week's top tracks, to opted-in members and confirmed waitlist addresses."""
