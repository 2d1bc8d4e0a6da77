"""What several views share: thumbnails of rows that are images, values as they are shown."""
