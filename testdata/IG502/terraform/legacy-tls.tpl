${version}
