sheet new
