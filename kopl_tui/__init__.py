"""kopl-tui: the Kooperationsplan mask of the Göttingen Jobcenter's working guide, in the terminal."""
